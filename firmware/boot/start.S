/*
 * start.S: reset entry of the HwGen boot loader.
 *
 * _start sits in .text.start, which boot.ld places at the start of the boot ROM (the reset vector).
 * The boot loader has no .data and no .bss, so there is nothing to copy or clear: set the stack
 * to the top of RAM, catch traps in a loop, and run boot_main, which never returns. Built for a core without
 * CSRs (HWGEN_NO_CSRS defined: the boot agent, on the PEX's core), it installs no trap vector: a trap stops
 * that core on the instruction that trapped.
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    la      sp, __stack_top
#ifndef HWGEN_NO_CSRS
    la      t0, boot_trap
    csrw    mtvec, t0
#endif
    tail    boot_main
    .size _start, . - _start

#ifndef HWGEN_NO_CSRS
/* A trap inside the boot loader is a bug in it: stop here, where a debugger or a trace finds it. */
    .balign 4
    .type boot_trap, @function
boot_trap:
    j       boot_trap
    .size boot_trap, . - boot_trap
#endif
