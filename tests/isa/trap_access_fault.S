/*
 * trap_access_fault.S: load and store access faults
 *
 * A load or store to an address that no region of the memory map contains
 * (HWGEN_UNMAPPED_ADDRESS, from the generated hwgen_soc.h) raises mcause 5 (load) or 7 (store)
 * with mtval the address; the load does not write its destination.
 */
#include "test_macros.h"

#define TEST_LOAD_FAULT(n, inst, offset)                                        \
    TEST_TRAP_SETUP(n, CAUSE_LOAD_ACCESS);                                      \
    li a1, HWGEN_UNMAPPED_ADDRESS; addi s10, a1, offset; mv s6, s10;            \
    li a4, 0x3c3c3c3c;                                                          \
    TEST_TRAP_AT(inst a4, offset(a1));                                          \
    TEST_CHECK(a4, 0x3c3c3c3c)

#define TEST_STORE_FAULT(n, inst, offset)                                       \
    TEST_TRAP_SETUP(n, CAUSE_STORE_ACCESS);                                     \
    li a1, HWGEN_UNMAPPED_ADDRESS; addi s10, a1, offset; mv s6, s10;            \
    li a2, 0xa5a5a5a5;                                                          \
    TEST_TRAP_AT(inst a2, offset(a1))

TEST_CODE_BEGIN

    TEST_LOAD_FAULT(1, lw, 0)
    TEST_LOAD_FAULT(2, lw, 8)
    TEST_LOAD_FAULT(3, lh, 2)
    TEST_LOAD_FAULT(4, lhu, 0)
    TEST_LOAD_FAULT(5, lb, 1)
    TEST_LOAD_FAULT(6, lbu, 3)

    TEST_STORE_FAULT(7, sw, 0)
    TEST_STORE_FAULT(8, sw, 4)
    TEST_STORE_FAULT(9, sh, 2)
    TEST_STORE_FAULT(10, sb, 1)

    /* execution goes on normally afterwards */
    TEST_CASE(11, a4, 0x00000009, li a4, 4; addi a4, a4, 5)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
