/*
 * interlock: the AP's loads and stores never reach tag memory or the PEX's memory. Words get tags (a device input
 * with Taint, a return address with ReturnAddr), then loads and stores of every width, of a tainted and of a clean
 * value, go to every address that could alias them: the PEX map's TAGCTL registers and RAM beyond the AP's RAM,
 * mirror images of the tagged words and of the code, both ends of the address space, the call port past its
 * registers (those that fault are skipped by the trap handler). A 32 KiB buffer (every offset of the PEX's RAM) is
 * filled with junk. Then the tagged words are loaded at `check_taint` and `check_ret` (their memory tags must be
 * intact), a load from the code at `check_code`, and the PEX must still serve new misses and a call.
 * A branch compares the tainted value, whose tag the branch's rule must not see (no policy reads it).
 * Ends with code 0; a policy violation ends with code 3, a violation reported by LAST_VIOLATION with code 4.
 */
#include "policy_test.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    la sp, __stack_top

    /* Tags: marked[0] {Taint} (a device's input), marked[1] {ReturnAddr}. */
    li t0, HWGEN_UART_BASE
    lw s0, 0(t0)
    /* A branch on the tainted value: no policy here reads a branch's rs2, so its tag is no part of the rule. */
    beq zero, s0, 6f
6:  la s1, marked
    sw s0, 0(s1)
    jal ra, 1f
1:  sw ra, 4(s1)
    li s4, 0x5a5aa5a5

    /* Every candidate address: loads and stores of each width, tainted and clean. */
    la s2, targets
    la s3, targets_end
sweep:
    lw t1, 0(s2)
    lw t2, 0(t1)
    lh t2, 2(t1)
    lbu t2, 3(t1)
    sw s0, 0(t1)
    sh s4, 2(t1)
    sb s0, 1(t1)
    sw s4, 0(t1)
    addi s2, s2, 4
    bne s2, s3, sweep

    /* Junk over every offset of a 32 KiB window of the AP's RAM. */
    la t1, junk
    li t2, 32768 / 4
    li t3, -1
2:  sw t3, 0(t1)
    addi t1, t1, 4
    addi t2, t2, -1
    bnez t2, 2b

    .globl check_taint, check_ret, check_code
check_taint:
    lw t4, 0(s1)
check_ret:
    lw t5, 4(s1)
    la t3, _start
check_code:
    lw t3, 0(t3)
    /* New rules for the PEX: a tainted sum, a return address moved, stored and loaded back. */
    add t4, t4, s4
    mv a2, t5
    sw a2, 8(s1)
    lw a3, 8(s1)
    li t0, HWGEN_PEXCALL_BASE
    li t1, PEX_LAST_VIOLATION
    sw t1, PEXCALL_OP(t0)
    lw a0, PEXCALL_RESULT(t0)
    bnez a0, 3f
    li a0, 1
    j exit
3:  li a0, (4 << 1) | 1
    j exit

    .balign 4
trap:
    csrr tp, mcause
    li t6, CAUSE_POLICY_VIOLATION
    beq tp, t6, 4f
    csrr tp, mepc
    addi tp, tp, 4
    csrw mepc, tp
    mret
4:  li a0, (3 << 1) | 1
exit:
    la t0, tohost
    sw zero, 4(t0)
    sw a0, 0(t0)
5:  j 5b

    .data
    .balign 4
marked:
    .word 0, 0, 0
targets:
    /* The PEX map's TAGCTL registers (0x3000_0000: unmapped for the AP). */
    .set offset, 0
    .rept 32
    .word 0x30000000 + offset
    .set offset, offset + 4
    .endr
    .word 0x30000ffc, 0x30001000
    /* Past the AP's RAM, where the PEX's RAM or a mirror could answer. */
    .word HWGEN_RAM_BASE + HWGEN_RAM_SIZE, HWGEN_RAM_BASE + HWGEN_RAM_SIZE + 0x8000, HWGEN_RAM_BASE + 2 * HWGEN_RAM_SIZE
    .word 0x81000000, 0x88000000, 0x90000000, 0xc0000000, 0xfffffffc, 0x7ffffffc, 0x40000000
    /* Mirror images of the tagged words and of the code. */
    .word marked + HWGEN_RAM_SIZE, marked + 2 * HWGEN_RAM_SIZE, marked + 0x10000000, marked - 0x80000000, marked + 0x40000000
    .word _start + HWGEN_RAM_SIZE, _start - 0x80000000, _start + 0x40000000
    /* The low end and the call port past its registers. */
    .word 0x00000000, 0x00008000, HWGEN_PEXCALL_BASE + 0x10, HWGEN_PEXCALL_BASE + 0x80, HWGEN_PEXCALL_BASE + HWGEN_PEXCALL_SIZE - 4
    .word HWGEN_PEXCALL_BASE + HWGEN_PEXCALL_SIZE
targets_end:

    .bss
    .balign 4
junk:
    .space 32768
