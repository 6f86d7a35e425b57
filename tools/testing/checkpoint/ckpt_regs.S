/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt_regs - registers that must survive checkpoint/restart bit for bit.
 *
 * Loads known values into rbx, rbp, r8-r15, xmm1-xmm15, the upper halves
 * of ymm1-ymm4 (AVX), MXCSR, the x87 control word and the fs base, then
 * spins 2^24 times (2^27, 2^30 with one or two arguments), and checks
 * them all.  Exit status: 0 if every register is intact, else the number
 * of the first one that is not (see the checks below).
 */
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003

	.macro	check reg, val, code
	movabsq	$\val, %rax
	cmpq	%rax, \reg
	movl	$\code, %edi
	jne	fail
	.endm

	.macro	ycheck n, code
	vextractf128 $1, %ymm\n, %xmm0
	pcmpeqb	pattern + 16 * (\n + 8)(%rip), %xmm0
	pmovmskb %xmm0, %eax
	cmpl	$0xffff, %eax
	movl	$\code, %edi
	jne	fail
	.endm

	.macro	xcheck n, code
	movdqa	pattern + 16 * \n(%rip), %xmm0
	pcmpeqb	%xmm\n, %xmm0
	pmovmskb %xmm0, %eax
	cmpl	$0xffff, %eax
	movl	$\code, %edi
	jne	fail
	.endm

	.text
	.globl	_start
_start:
	movq	(%rsp), %r12		/* argc: spin count is 2^(21 + 3 * argc) */
	movl	$158, %eax		/* arch_prctl(ARCH_SET_FS, fsbase) */
	movl	$ARCH_SET_FS, %edi
	movabsq	$0x12345678000, %rsi
	syscall
	ldmxcsr	mxcsr_val(%rip)
	fldcw	fpucw_val(%rip)
	movdqa	pattern + 16 * 1(%rip), %xmm1
	movdqa	pattern + 16 * 2(%rip), %xmm2
	movdqa	pattern + 16 * 3(%rip), %xmm3
	movdqa	pattern + 16 * 4(%rip), %xmm4
	movdqa	pattern + 16 * 5(%rip), %xmm5
	movdqa	pattern + 16 * 6(%rip), %xmm6
	movdqa	pattern + 16 * 7(%rip), %xmm7
	movdqa	pattern + 16 * 8(%rip), %xmm8
	movdqa	pattern + 16 * 9(%rip), %xmm9
	movdqa	pattern + 16 * 10(%rip), %xmm10
	movdqa	pattern + 16 * 11(%rip), %xmm11
	movdqa	pattern + 16 * 12(%rip), %xmm12
	movdqa	pattern + 16 * 13(%rip), %xmm13
	movdqa	pattern + 16 * 14(%rip), %xmm14
	movdqa	pattern + 16 * 15(%rip), %xmm15
	vinsertf128 $1, pattern + 16 * 9(%rip), %ymm1, %ymm1
	vinsertf128 $1, pattern + 16 * 10(%rip), %ymm2, %ymm2
	vinsertf128 $1, pattern + 16 * 11(%rip), %ymm3, %ymm3
	vinsertf128 $1, pattern + 16 * 12(%rip), %ymm4, %ymm4
	leaq	(%r12, %r12, 2), %rcx
	addq	$21, %rcx
	movl	$1, %edx
	shlq	%cl, %rdx
	movq	%rdx, %rcx
	movabsq	$0x1111111111111111, %rbx
	movabsq	$0x2222222222222222, %rbp
	movabsq	$0x8888888888888888, %r8
	movabsq	$0x9999999999999999, %r9
	movabsq	$0xaaaaaaaaaaaaaaaa, %r10
	movabsq	$0xbbbbbbbbbbbbbbbb, %r11
	movabsq	$0xcccccccccccccccc, %r12
	movabsq	$0xdddddddddddddddd, %r13
	movabsq	$0xeeeeeeeeeeeeeeee, %r14
	movabsq	$0xf0f0f0f0f0f0f0f0, %r15
1:	decq	%rcx
	jnz	1b

	check	%rbx, 0x1111111111111111, 1
	check	%rbp, 0x2222222222222222, 2
	check	%r8, 0x8888888888888888, 8
	check	%r9, 0x9999999999999999, 9
	check	%r10, 0xaaaaaaaaaaaaaaaa, 10
	check	%r11, 0xbbbbbbbbbbbbbbbb, 11
	check	%r12, 0xcccccccccccccccc, 12
	check	%r13, 0xdddddddddddddddd, 13
	check	%r14, 0xeeeeeeeeeeeeeeee, 14
	check	%r15, 0xf0f0f0f0f0f0f0f0, 15
	xcheck	1, 21
	xcheck	2, 22
	xcheck	3, 23
	xcheck	4, 24
	xcheck	5, 25
	xcheck	6, 26
	xcheck	7, 27
	xcheck	8, 28
	xcheck	9, 29
	xcheck	10, 30
	xcheck	11, 31
	xcheck	12, 32
	xcheck	13, 33
	xcheck	14, 34
	xcheck	15, 35
	ycheck	1, 51
	ycheck	2, 52
	ycheck	3, 53
	ycheck	4, 54
	stmxcsr	scratch(%rip)
	movl	scratch(%rip), %eax
	cmpl	mxcsr_val(%rip), %eax
	movl	$40, %edi
	jne	fail
	fnstcw	scratch(%rip)
	movzwl	scratch(%rip), %eax
	movzwl	fpucw_val(%rip), %edx
	cmpl	%edx, %eax
	movl	$41, %edi
	jne	fail
	movl	$158, %eax		/* arch_prctl(ARCH_GET_FS, &scratch) */
	movl	$ARCH_GET_FS, %edi
	leaq	scratch(%rip), %rsi
	syscall
	movq	scratch(%rip), %rax
	movabsq	$0x12345678000, %rdx
	cmpq	%rdx, %rax
	movl	$42, %edi
	jne	fail
	xorl	%edi, %edi
fail:
	movl	$60, %eax		/* exit(edi) */
	syscall

	.data
	.balign	16
pattern:
	.rept	16
	.quad	0x0123456789abcdef + (. - pattern), 0xfedcba9876543210 - (. - pattern)
	.endr
mxcsr_val:
	.long	0x7f80			/* round toward zero, exceptions masked */
fpucw_val:
	.short	0x0e7f			/* round up, extended precision */

	.bss
	.balign	8
scratch:
	.quad	0
