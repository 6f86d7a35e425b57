/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt_tiny - the smallest process there is, for small test images: no
 * libc, one page of code, a counter in its data page, and a stack.
 *
 * It counts in a loop.  With an argument it exits when the counter
 * reaches 2^32.
 */
	.text
	.globl	_start
_start:
	movq	(%rsp), %rbx		/* argc */
1:	incq	counter(%rip)
	cmpq	$1, %rbx
	je	1b
	movq	counter(%rip), %rax
	shrq	$32, %rax
	jz	1b
	movl	$60, %eax		/* exit(0) */
	xorl	%edi, %edi
	syscall

	.bss
	.balign	8
counter:
	.quad	0
