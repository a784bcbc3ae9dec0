/*
 * start.S: reset entry of the PEX firmware.
 *
 * _start sits in .text.init, which the generated linker script places at the PEX's reset vector (its RAM base). It
 * sets gp and sp, installs the trap vector, zeroes .sbss/.bss and calls main, which never returns.
 *
 * The PEX takes no interrupt and its firmware raises no exception; a trap all the same (a firmware fault) parks the
 * PEX at pex_fault, where a test or a debugger sees it (mcause, mepc and mtval tell why). The AP stays stalled on its
 * miss or call: a fault is never an allow.
 */
#include "hwgen_soc.h"

    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, pex_fault
    csrw    mtvec, t0

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
    j       pex_fault
    .size _start, . - _start

    .text
    .balign 4
    .globl pex_fault
    .type pex_fault, @function
pex_fault:
    j       pex_fault
    .size pex_fault, . - pex_fault
