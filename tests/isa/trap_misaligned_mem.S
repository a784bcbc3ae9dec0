/*
 * trap_misaligned_mem.S: load and store address-misaligned exceptions
 *
 * A halfword access at an odd address or a word access at an address that is not a multiple
 * of 4 raises mcause 4 (load) or 6 (store) with mtval the effective address; the load does not
 * write its destination and the store does not change memory. Byte accesses are never
 * misaligned.
 */
#include "test_macros.h"

#define TEST_MISALIGNED_LOAD(n, inst, offset)                                   \
    TEST_TRAP_SETUP(n, CAUSE_MISALIGNED_LOAD);                                  \
    la a1, misaligned_data; addi s10, a1, offset; mv s6, s10;                   \
    li a4, 0x3c3c3c3c;                                                          \
    TEST_TRAP_AT(inst a4, offset(a1));                                          \
    TEST_CHECK(a4, 0x3c3c3c3c)

#define TEST_MISALIGNED_STORE(n, inst, offset)                                  \
    TEST_TRAP_SETUP(n, CAUSE_MISALIGNED_STORE);                                 \
    la a1, misaligned_data; addi s10, a1, offset; mv s6, s10;                   \
    li a2, 0xa5a5a5a5;                                                          \
    TEST_TRAP_AT(inst a2, offset(a1));                                          \
    lw a4, 0(a1); TEST_CHECK(a4, 0x44332211);                                   \
    lw a4, 4(a1); TEST_CHECK(a4, 0x88776655)

TEST_CODE_BEGIN

    TEST_MISALIGNED_LOAD(1, lh, 1)
    TEST_MISALIGNED_LOAD(2, lh, 3)
    TEST_MISALIGNED_LOAD(3, lhu, 1)
    TEST_MISALIGNED_LOAD(4, lhu, 5)
    TEST_MISALIGNED_LOAD(5, lw, 1)
    TEST_MISALIGNED_LOAD(6, lw, 2)
    TEST_MISALIGNED_LOAD(7, lw, 3)
    TEST_MISALIGNED_LOAD(8, lw, -2)

    TEST_MISALIGNED_STORE(9, sh, 1)
    TEST_MISALIGNED_STORE(10, sh, 3)
    TEST_MISALIGNED_STORE(11, sw, 1)
    TEST_MISALIGNED_STORE(12, sw, 2)
    TEST_MISALIGNED_STORE(13, sw, 3)
    TEST_MISALIGNED_STORE(14, sh, 7)

    /* aligned and byte accesses do not trap */
    TEST_CASE(15, a4, 0x00000033, la a1, misaligned_data; lbu a4, 2(a1))
    TEST_CASE(16, a4, 0x00000022, la a1, misaligned_data; lb a4, 1(a1))
    TEST_CASE(17, a4, 0x00004433, la a1, misaligned_data; lhu a4, 2(a1))
    TEST_CASE(18, a4, 0x88776655, la a1, misaligned_data; lw a4, 4(a1))
    TEST_CASE(19, a4, 0x4433ee11, la a1, misaligned_data; li a2, 0xee; sb a2, 1(a1); lw a4, 0(a1))

    /* the misaligned address is formed from base + offset: an odd base with an odd offset is aligned */
    TEST_CASE(20, a4, 0x4433ee11, la a1, misaligned_data + 1; lw a4, -1(a1))

TEST_CODE_END

TEST_DATA_BEGIN
    .word 0
misaligned_data:
    .word 0x44332211
    .word 0x88776655
TEST_DATA_END
