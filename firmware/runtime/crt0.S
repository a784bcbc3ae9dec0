/*
 * crt0.S: reset entry of HwGen programs.
 *
 * _start sits in .text.init, which the generated linker script places at the reset vector. It sets
 * gp and sp, installs the default trap vector, zeroes .sbss/.bss, calls main(0, 0) and ends the
 * program through tohost with (main's return value << 1) | 1, so a return of 0 means success.
 *
 * The default trap vector ends the program too: an unexpected exception with code
 * HWGEN_EXIT_TRAP | mcause, an unexpected interrupt with HWGEN_EXIT_INTERRUPT | cause. When the
 * console is linked it first prints mcause, mepc and mtval (hwgen_report_trap in console.c).
 *
 * Built for a core without CSRs (HWGEN_NO_CSRS defined, the PEX's), it installs no trap vector and has
 * none: a trap stops such a core on the instruction that trapped.
 */
#include "hwgen_soc.h"
#include "console.h"

    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
#ifndef HWGEN_NO_CSRS
    la      t0, hwgen_default_trap
    csrw    mtvec, t0
#endif

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:
    li      a0, 0
    li      a1, 0
    call    main
    tail    _exit
    .size _start, . - _start

/* void _exit(int code): report (code << 1) | 1 through tohost and stop. */
    .text
    .globl _exit
    .type _exit, @function
_exit:
    slli    a0, a0, 1
    ori     a0, a0, 1
    la      t0, tohost
    sw      zero, 4(t0)
    sw      a0, 0(t0)
1:  j       1b
    .size _exit, . - _exit

#ifndef HWGEN_NO_CSRS
/* The trap vector installed by _start: any trap ends the program. */
    .weak hwgen_report_trap
    .balign 4
    .globl hwgen_default_trap
    .type hwgen_default_trap, @function
hwgen_default_trap:
    csrr    s0, mcause
    /* Exit code: HWGEN_EXIT_TRAP | cause, or HWGEN_EXIT_INTERRUPT | cause for an interrupt. */
    slli    s1, s0, 1
    srli    s1, s1, 1
    li      t0, HWGEN_EXIT_TRAP
    bgez    s0, 1f
    li      t0, HWGEN_EXIT_INTERRUPT
1:  or      s1, s1, t0
    la      t0, hwgen_report_trap
    beqz    t0, 2f
    /* A fresh stack: the program's own may be what went wrong. */
    la      sp, __stack_top
    mv      a0, s0
    csrr    a1, mepc
    csrr    a2, mtval
    call    hwgen_report_trap
2:  mv      a0, s1
    tail    _exit
    .size hwgen_default_trap, . - hwgen_default_trap
#endif
