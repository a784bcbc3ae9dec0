/*
 * trap_fetch_fault.S: instruction access fault
 *
 * A jump to an address that no region of the memory map contains completes (its link register
 * is written); fetching the target then raises mcause 1 with mepc and mtval the target.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    TEST_TRAP_SETUP(1, CAUSE_FETCH_ACCESS)
    li a1, HWGEN_UNMAPPED_ADDRESS
    mv s9, a1
    mv s10, a1
    mv s6, a1
    li a4, 0
    la a5, 1f
    TEST_TRAP_AT(jalr a4, 0(a1))
    /* the jalr itself retired: its link is the address after it */
    addi a5, a5, 4
    TEST_CHECK_REG(a4, a5)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
