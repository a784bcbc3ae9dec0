/*
 * mstatus.S: mstatus on a machine-mode-only hart, and the trap entry and mret
 *
 * MIE is 0 after reset; only MIE, MPIE and MPP exist, and MPP always reads 3 (machine). A trap
 * copies MIE to MPIE and clears MIE; mret copies MPIE to MIE, sets MPIE and jumps to mepc.
 */
#include "test_macros.h"

#define MSTATUS_MPP_MIE_MPIE 0x00001888

TEST_CODE_BEGIN

    csrw mie, x0
    la t0, status_handler
    csrw mtvec, t0

    /* after reset */
    TEST_CASE(1, a4, 0x00000000, csrr a4, mstatus; andi a4, a4, MSTATUS_MIE)
    TEST_CASE(2, a4, MSTATUS_MPP, csrr a4, mstatus; li a5, MSTATUS_MPP; and a4, a4, a5)

    /* only MIE, MPIE and MPP (read-only 3) are there */
    TEST_CASE(3, a4, MSTATUS_MPP_MIE_MPIE, li a1, -1; csrw mstatus, a1; csrr a4, mstatus)
    TEST_CASE(4, a4, MSTATUS_MPP, csrw mstatus, x0; csrr a4, mstatus)
    TEST_CASE(5, a4, MSTATUS_MPP, csrw mstatus, x0; li a1, MSTATUS_MPP; csrc mstatus, a1; csrr a4, mstatus)

    /* MIE set and cleared */
    TEST_CASE(6, a4, MSTATUS_MIE, csrsi mstatus, MSTATUS_MIE; csrr a4, mstatus; andi a4, a4, MSTATUS_MIE)
    TEST_CASE(7, a4, 0x00000000, csrci mstatus, MSTATUS_MIE; csrr a4, mstatus; andi a4, a4, MSTATUS_MIE)

    /* a trap with MIE set: MPIE = 1, MIE = 0 in the handler; after mret MIE = 1, MPIE = 1 */
    TEST_NUM(8)
    li a1, MSTATUS_MIE
    csrw mstatus, a1
    li s4, 0
    ecall
    TEST_CHECK(s4, MSTATUS_MPP | MSTATUS_MPIE)
    csrr a4, mstatus
    TEST_CHECK(a4, MSTATUS_MPP_MIE_MPIE)
    TEST_CHECK(s5, CAUSE_MACHINE_ECALL)

    /* a trap with MIE clear: MPIE = 0, MIE = 0 in the handler; after mret MIE = 0, MPIE = 1 */
    TEST_NUM(9)
    csrw mstatus, x0
    li s4, -1
    ecall
    TEST_CHECK(s4, MSTATUS_MPP)
    csrr a4, mstatus
    TEST_CHECK(a4, MSTATUS_MPP | MSTATUS_MPIE)

    /* mret outside a trap: jumps to mepc, MIE = MPIE, MPIE = 1 */
    TEST_NUM(10)
    li a1, MSTATUS_MPIE
    csrw mstatus, a1
    la a2, 1f
    csrw mepc, a2
    mret
    TEST_FAIL_HERE
1:  csrr a4, mstatus
    TEST_CHECK(a4, MSTATUS_MPP_MIE_MPIE)

    TEST_NUM(11)
    li a1, MSTATUS_MIE
    csrw mstatus, a1
    la a2, 1f
    csrw mepc, a2
    mret
    TEST_FAIL_HERE
1:  csrr a4, mstatus
    TEST_CHECK(a4, MSTATUS_MPP | MSTATUS_MPIE)

    /* nested: a trap inside the handler's caller restores what the outer code had */
    TEST_NUM(12)
    li a1, MSTATUS_MIE
    csrw mstatus, a1
    ecall
    ecall
    csrr a4, mstatus
    TEST_CHECK(a4, MSTATUS_MPP_MIE_MPIE)
    csrw mstatus, x0

    la t0, test_unexpected_trap
    csrw mtvec, t0

TEST_CODE_END

    .text
    .balign 4
/* Records mstatus in s4 and mcause in s5, and returns after the ecall. */
status_handler:
    csrr s4, mstatus
    csrr s5, mcause
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret

TEST_DATA_BEGIN
TEST_DATA_END
