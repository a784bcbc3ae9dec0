/*
 * csr_machine.S: the machine information and trap-setup CSRs
 *
 * misa reads RV32IM; mvendorid, marchid, mimpid and mhartid read 0 and may be read with the
 * forms that do not write; mtvec, mepc, mcause, mtval and mie hold what is written to them
 * within their legal values (mepc's two low bits read 0 on a hart without compressed
 * instructions; mcause keeps bit 31 and the exception code's low 5 bits).
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* misa: MXL = 1 (32 bits), extensions I and M */
    TEST_CASE(1, a4, 0x40001100, csrr a4, misa)

    /* the ID registers read 0 */
    TEST_CASE(2, a4, 0x00000000, li a4, -1; csrr a4, mvendorid)
    TEST_CASE(3, a4, 0x00000000, li a4, -1; csrr a4, marchid)
    TEST_CASE(4, a4, 0x00000000, li a4, -1; csrr a4, mimpid)
    TEST_CASE(5, a4, 0x00000000, li a4, -1; csrr a4, mhartid)
    TEST_CASE(6, a4, 0x00000000, li a4, -1; csrrsi a4, mhartid, 0)
    TEST_CASE(7, a4, 0x00000000, li a4, -1; csrrc a4, mvendorid, x0)
    TEST_CASE(8, a4, 0x00000000, li a4, -1; csrrci a4, marchid, 0)

    /* mscratch keeps every bit */
    TEST_CASE(9, a4, 0xa5a5a5a5, li a1, 0xa5a5a5a5; csrw mscratch, a1; csrr a4, mscratch)
    TEST_CASE(10, a4, 0x5a5a5a5a, li a1, 0x5a5a5a5a; csrw mscratch, a1; csrr a4, mscratch)

    /* mtvec holds a 4-byte-aligned direct-mode base */
    TEST_NUM(11)
    la a1, test_unexpected_trap
    csrr a4, mtvec
    TEST_CHECK_REG(a4, a1)
    TEST_NUM(12)
    la a1, aligned_vector
    csrw mtvec, a1
    csrr a4, mtvec
    la t0, test_unexpected_trap
    csrw mtvec, t0
    TEST_CHECK_REG(a4, a1)

    /* mepc: bits 1 and 0 read 0 */
    TEST_CASE(13, a4, 0x80001234, li a1, 0x80001234; csrw mepc, a1; csrr a4, mepc)
    TEST_CASE(14, a4, 0x80001234, li a1, 0x80001237; csrw mepc, a1; csrr a4, mepc)
    TEST_CASE(15, a4, 0x80001234, li a1, 0x80001236; csrw mepc, a1; csrr a4, mepc)
    TEST_CASE(16, a4, 0x00000004, li a1, 0x00000005; csrw mepc, a1; csrr a4, mepc)

    /* mcause holds the legal cause codes, mtval any address */
    TEST_CASE(17, a4, 0x0000000b, li a1, 11; csrw mcause, a1; csrr a4, mcause)
    TEST_CASE(18, a4, 0x80000007, li a1, 0x80000007; csrw mcause, a1; csrr a4, mcause)
    /* mcause is WLRL: bit 31 and the code's low 5 bits are kept (24, a policy violation, the largest) */
    TEST_CASE(24, a4, 0x80000018, li a1, 0x80000018; csrw mcause, a1; csrr a4, mcause)
    TEST_CASE(25, a4, 0x8000001f, li a1, 0xffffffff; csrw mcause, a1; csrr a4, mcause)
    TEST_CASE(26, a4, 0x00000013, li a1, 0x7fffffd3; csrw mcause, a1; csrr a4, mcause)
    TEST_CASE(19, a4, 0x12345678, li a1, 0x12345678; csrw mtval, a1; csrr a4, mtval)
    TEST_CASE(20, a4, 0x00000000, csrw mtval, x0; csrr a4, mtval)

    /* mie: the timer enable is writable; with mstatus.MIE clear nothing is taken */
    TEST_CASE(21, a4, 0x00000000, csrci mstatus, MSTATUS_MIE; csrw mie, x0; csrr a4, mie)
    TEST_CASE(22, a4, MIE_MTIE, li a1, MIE_MTIE; csrw mie, a1; csrr a4, mie)
    TEST_CASE(23, a4, 0x00000000, li a1, MIE_MTIE; csrc mie, a1; csrr a4, mie)

TEST_CODE_END

    .text
    .balign 64
aligned_vector:
    j test_unexpected_trap

TEST_DATA_BEGIN
TEST_DATA_END
