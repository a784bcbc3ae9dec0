/*
 * csr_ops.S: csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci
 *
 * Each returns the old value of the CSR in rd and writes the new one; csrrs/csrrc with rs1 = x0
 * and csrrsi/csrrci with a zero immediate only read. Exercised on mscratch, which keeps all bits.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    TEST_CASE(1, a4, 0x00000000, csrwi mscratch, 0; csrr a4, mscratch)

    /* csrrw: old value out, new value in */
    TEST_CASE(2, a4, 0x00000000, li a1, 0x12345678; csrrw a4, mscratch, a1)
    TEST_CASE(3, a4, 0x12345678, csrr a4, mscratch)

    /* csrrs: sets the bits of rs1 */
    TEST_CASE(4, a4, 0x12345678, li a1, 0xf0f0f0f0; csrrs a4, mscratch, a1)
    TEST_CASE(5, a4, 0xf2f4f6f8, csrr a4, mscratch)

    /* csrrc: clears the bits of rs1 */
    TEST_CASE(6, a4, 0xf2f4f6f8, li a1, 0x0000ffff; csrrc a4, mscratch, a1)
    TEST_CASE(7, a4, 0xf2f40000, csrr a4, mscratch)

    /* the immediate forms take a 5-bit zero-extended immediate */
    TEST_CASE(8, a4, 0xf2f40000, csrrwi a4, mscratch, 0x15)
    TEST_CASE(9, a4, 0x00000015, csrr a4, mscratch)
    TEST_CASE(10, a4, 0x00000015, csrrsi a4, mscratch, 0x0a)
    TEST_CASE(11, a4, 0x0000001f, csrr a4, mscratch)
    TEST_CASE(12, a4, 0x0000001f, csrrci a4, mscratch, 0x11)
    TEST_CASE(13, a4, 0x0000000e, csrr a4, mscratch)
    TEST_CASE(14, a4, 0x0000000e, csrrwi a4, mscratch, 31)
    TEST_CASE(15, a4, 0x0000001f, csrr a4, mscratch)

    /* reads only */
    TEST_CASE(16, a4, 0x0000001f, csrrs a4, mscratch, x0; csrrc x0, mscratch, x0; csrrsi x0, mscratch, 0; csrrci x0, mscratch, 0; csrr a4, mscratch)

    /* rd == rs1: the old value comes out, the register's value goes in */
    TEST_CASE(17, a1, 0x0000001f, li a1, 0xabc; csrrw a1, mscratch, a1)
    TEST_CASE(18, a4, 0x00000abc, csrr a4, mscratch)
    TEST_CASE(19, a1, 0x00000abc, li a1, 0x003; csrrs a1, mscratch, a1)
    TEST_CASE(20, a4, 0x00000abf, csrr a4, mscratch)
    TEST_CASE(21, a1, 0x00000abf, li a1, 0xa00; csrrc a1, mscratch, a1)
    TEST_CASE(22, a4, 0x000000bf, csrr a4, mscratch)

    /* rd == x0 still writes */
    TEST_CASE(23, a4, 0xffffffff, li a1, -1; csrw mscratch, a1; csrr a4, mscratch)
    TEST_CASE(24, a4, 0x00000000, csrc mscratch, a1; csrr a4, mscratch)
    TEST_CASE(25, a4, 0x80000001, li a1, 0x80000001; csrs mscratch, a1; csrr a4, mscratch)

    /* a CSR result used at once, and a CSR written from a result produced just before */
    TEST_CASE(26, a4, 0x80000002, csrr a2, mscratch; addi a4, a2, 1)
    TEST_CASE(27, a4, 0x00000064, li a1, 50; add a2, a1, a1; csrw mscratch, a2; csrr a4, mscratch)
    TEST_CASE(28, a4, 0x00000065, li a1, 0x65; csrrw a2, mscratch, a1; csrrw a4, mscratch, a2)
    TEST_CASE(29, a4, 0x00000064, csrr a4, mscratch)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
