/*
 * trap_illegal.S: illegal-instruction exceptions
 *
 * Encodings outside RV32IM + Zicsr, reserved function codes, an access to a CSR that does not
 * exist, and any attempt to write a read-only CSR raise mcause 2 with mepc at the instruction;
 * mtval is 0 or the instruction's encoding. The destination register is not written.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* not instructions of this hart */
    TEST_TRAP_ILLEGAL(1, .word 0x00000000)
    TEST_TRAP_ILLEGAL(2, .word 0xffffffff)
    TEST_TRAP_ILLEGAL(3, .word 0x00000001)   /* a compressed encoding: no C extension */
    TEST_TRAP_ILLEGAL(4, .word 0x0000000b)   /* custom-0 */
    TEST_TRAP_ILLEGAL(5, .word 0x00000053)   /* fadd.s: no F extension */
    TEST_TRAP_ILLEGAL(6, .word 0x0005a72f)   /* amoadd.w: no A extension */

    /* reserved function codes of RV32I and M */
    TEST_TRAP_ILLEGAL(7, .word 0x02051513)   /* slli a0, a0, 32: shamt[5] is reserved on RV32 */
    TEST_TRAP_ILLEGAL(8, .word 0xc0055513)   /* a right shift with funct7 0x60 */
    TEST_TRAP_ILLEGAL(9, .word 0x04c58733)   /* OP with funct7 0x02 */
    TEST_TRAP_ILLEGAL(10, .word 0x0005b703)  /* ld: a 64-bit load */
    TEST_TRAP_ILLEGAL(11, .word 0x0005e703)  /* lwu: a 64-bit-only load */
    TEST_TRAP_ILLEGAL(12, .word 0x00c5b023)  /* sd: a 64-bit store */
    TEST_TRAP_ILLEGAL(13, .word 0x00c5a063)  /* a branch with funct3 2 */
    TEST_TRAP_ILLEGAL(14, .word 0x00059067)  /* jalr with funct3 1 */
    TEST_TRAP_ILLEGAL(15, .word 0x10200073)  /* sret: no supervisor mode */
    TEST_TRAP_ILLEGAL(16, .word 0x0000001b)  /* OP-IMM-32: RV64 only */

    /* CSRs that do not exist */
    TEST_TRAP_ILLEGAL(17, csrr a4, 0x180)    /* satp: no supervisor mode */
    TEST_TRAP_ILLEGAL(18, csrr a4, 0x003)    /* fcsr: no F extension */
    TEST_TRAP_ILLEGAL(19, csrw 0x7c0, a1)    /* an unassigned custom CSR */

    /* the destination of a trapping CSR read keeps its value */
    TEST_NUM(20)
    li a4, 0x5a5a5a5a
    TEST_TRAP_ILLEGAL(20, csrr a4, 0x100)    /* sstatus: no supervisor mode */
    TEST_CHECK(a4, 0x5a5a5a5a)

    /* writes to read-only CSRs (address bits 11:10 = 3) */
    TEST_TRAP_ILLEGAL(21, csrw mvendorid, a1)
    TEST_TRAP_ILLEGAL(22, csrrw x0, mhartid, x0)
    TEST_TRAP_ILLEGAL(23, csrrwi a4, mimpid, 0)
    TEST_TRAP_ILLEGAL(24, csrw cycle, a1)
    TEST_TRAP_ILLEGAL(25, csrw instret, a1)
    TEST_TRAP_ILLEGAL(26, csrsi marchid, 1)
    /* csrrs and csrrc with rs1 other than x0 write, even when the value is 0 */
    TEST_NUM(27)
    li a1, 0
    li a4, 0x77
    TEST_TRAP_ILLEGAL(27, csrrs a4, mhartid, a1)
    TEST_CHECK(a4, 0x77)
    TEST_TRAP_ILLEGAL(28, csrrc a4, mvendorid, a1)

    /* the trap handler's own CSRs are unchanged by a trap that did not happen: a legal read */
    TEST_CASE(29, a4, 0x00000000, csrrs a4, mhartid, x0)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
