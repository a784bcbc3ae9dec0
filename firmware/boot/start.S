/*
 * start.S: reset entry of the HwGen boot loader.
 *
 * _start sits in .text.start, which boot.ld places at the start of the boot ROM (the reset vector).
 * The boot loader has no .data and no .bss, so there is nothing to copy or clear: set the stack
 * to the top of RAM, catch traps in a loop, and run boot_main, which never returns.
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    la      sp, __stack_top
    la      t0, boot_trap
    csrw    mtvec, t0
    tail    boot_main
    .size _start, . - _start

/* A trap inside the boot loader is a bug in it: stop here, where a debugger or a trace finds it. */
    .balign 4
    .type boot_trap, @function
boot_trap:
    j       boot_trap
    .size boot_trap, . - boot_trap
