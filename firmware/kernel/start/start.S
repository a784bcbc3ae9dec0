/*
 * start.S: the reset entry of the unikernel.
 *
 * _start sits in .text.init, which the generated linker script places at the reset vector. It sets
 * gp, sp (the top of RAM) and tp (the thread-local block of the C library, __tls_base), installs the
 * trap vector (the trap library's trap_entry when it is linked, else a vector that ends the program
 * with KERNEL_EXIT_TRAP | mcause), zeroes .tbss, .sbss and .bss, calls main(0, 0) and passes its
 * return value to exit().
 */
#include "hwgen_soc.h"
#include "kernel.h"

    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      tp, __tls_base
    .weak   trap_entry
    la      t0, trap_entry
    bnez    t0, 1f
    la      t0, start_fatal_trap
1:  csrw    mtvec, t0

    la      t0, __bss_start
    la      t1, __bss_end
2:  bgeu    t0, t1, 3f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       2b
3:
    li      a0, 0
    li      a1, 0
    call    main
    call    exit
4:  j       4b
    .size _start, . - _start

/* void _exit(int code): store (code << 1) | 1 to tohost and stop. */
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

/* The trap vector of a program without the trap library: any trap ends it. */
    .balign 4
    .type start_fatal_trap, @function
start_fatal_trap:
    csrr    a0, mcause
    slli    a0, a0, 1
    srli    a0, a0, 1
    li      t0, KERNEL_EXIT_TRAP
    csrr    t1, mcause
    bgez    t1, 1f
    li      t0, KERNEL_EXIT_INTERRUPT
1:  or      a0, a0, t0
    tail    _exit
    .size start_fatal_trap, . - start_fatal_trap
