/*
 * load_no_use.S: the load-use interlock leaves alone the instructions that do not read the loaded register
 *
 * The interlock knows from the word's opcode and funct3 alone whether it reads rs1 and rs2. Here each kind of
 * instruction that reads neither, or only rs1, follows a load into a1 (x11) with a1's number in the bits of the
 * field it does not read: lui and auipc (both fields in the immediate), the immediate operations and the byte
 * loads (rs2's field in the immediate), the CSR instructions with an immediate (rs1's field the immediate), a jal
 * whose offset's bits are ra's number where jalr's rs1 and funct3 are. Such an
 * instruction never waits for the load; its result is checked, and its cycles are those of no interlock (what a
 * core that waited for it would change, seen by the cycle count alone).
 */
#include "test_macros.h"

/* a1 loaded just before `code`, which leaves its result in a3; the result must be `expected`. */
#define NO_USE(n, expected, code...)                                            \
    TEST_NUM(n); li a3, 0;                                                      \
    lw a1, 0(s0); code;                                                         \
    TEST_CHECK(a3, expected)

TEST_CODE_BEGIN

    la s0, load_data
    li a0, 0x100

    /* 1-2: no register read; a1's number (11) in bits 19:15 and 24:20 of the immediate */
    NO_USE(1, 0x00b58000, lui a3, 0xb58)
    TEST_NUM(2); li a3, 0
    lw a1, 0(s0)
1:  auipc a3, 0xb58
    la a5, 1b; sub a3, a3, a5
    TEST_CHECK(a3, 0x00b58000)

    /* 3-11: rs1 read, a1's number in the immediate's bits 4:0 (rs2's field) */
    NO_USE(3, 0x10b, addi a3, a0, 11)
    NO_USE(4, 0, slti a3, a0, 11)
    NO_USE(5, 0, sltiu a3, a0, 11)
    NO_USE(6, 0x10b, xori a3, a0, 11)
    NO_USE(7, 0x10b, ori a3, a0, 11)
    NO_USE(8, 0, andi a3, a0, 11)
    NO_USE(9, 0x80000, slli a3, a0, 11)
    NO_USE(10, 0, srli a3, a0, 11)
    NO_USE(11, 0, srai a3, a0, 11)

    /* 12-13: byte loads, the offset's bits 4:0 a1's number */
    NO_USE(12, 0xffffffab, lb a3, 11(s0))
    NO_USE(13, 0x000000ab, lbu a3, 11(s0))

    /* 14-16: CSR instructions with an immediate: rs1's field is the immediate 11 */
    csrw mscratch, x0
    NO_USE(14, 0, csrrwi a3, mscratch, 11)
    NO_USE(15, 11, csrrsi a3, mscratch, 11)
    NO_USE(16, 11, csrrci a3, mscratch, 11)
    TEST_NUM(17); csrr a3, mscratch; TEST_CHECK(a3, 0)

    /* 18: jal, whose offset of +32 KiB has ra's number (1) in bits 19:15 and 0 in bits 14:12, where jalr's funct3
       is: ra loaded just before */
    TEST_NUM(18); li a3, 0
    lw ra, 0(s0)
jal_far:
    jal a3, jal_target
jal_back:
    la a5, jal_back
    TEST_CHECK_REG(a3, a5)
    j jal_done
    .skip 0x8000 - (. - jal_far)
jal_target:
    j jal_back
jal_done:

TEST_CODE_END

TEST_DATA_BEGIN
load_data:
    .word 0x12345678           /*  0: loaded into a1 */
    .word 0x00000000
    .word 0xab000000           /*  8: byte 11 is 0xab */
TEST_DATA_END
