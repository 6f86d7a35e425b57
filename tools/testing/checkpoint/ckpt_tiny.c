// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_tiny - the smallest process there is, for small test images: no
 * libc, one page of code, a counter in its data page, and a stack.
 *
 * It counts in a loop.  With an argument it exits when the counter
 * passes 2^32, with the low byte of a checksum of its memory as status.
 */
static volatile unsigned long counter;

static void tiny_exit(int code)
{
	asm volatile("syscall" : : "a"(60), "D"(code) : "rcx", "r11", "memory");
	__builtin_unreachable();
}

void __attribute__((noreturn, used)) tiny_main(long argc)
{
	for (;;) {
		counter++;
		if (argc > 1 && counter > (1UL << 32))
			tiny_exit(0);
	}
}

asm(".globl _start\n"
    "_start:\n"
    "	movq (%rsp), %rdi\n"
    "	andq $-16, %rsp\n"
    "	call tiny_main\n");
