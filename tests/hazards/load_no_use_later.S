/*
 * load_no_use_later.S: the load-use interlock leaves alone the instructions that do not read the loaded register,
 * one and two instructions after the load
 *
 * As load_no_use.S, with one or two instructions between the load into a1 (x11) and the instruction that carries
 * a1's number in a field it does not read: when that instruction is decoded, the load is in the memory stage (its
 * word arrives in writeback), or has left it and, with a slow bus, still waits for its word in writeback. An
 * instruction that reads a1 there waits; these do not, and their cycles are those of no interlock (what a core that
 * waited for them would change, seen by the cycle count alone). Each result is checked.
 */
#include "test_macros.h"

/* a1 loaded, then `gap`, then `code`, which leaves its result in a3; the result must be `expected`. */
#define NO_USE_AFTER(n, gap, expected, code...)                                 \
    TEST_NUM(n); li a3, 0;                                                      \
    lw a1, 0(s0); gap; code;                                                    \
    TEST_CHECK(a3, expected)

#define ONE nop
#define TWO nop; nop

/* Every kind of instruction that does not read a1, after `gap`: case numbers from `n` to n + 14. */
#define NO_USE_KINDS(n, gap)                                                    \
    NO_USE_AFTER(n, gap, 0x00b58000, lui a3, 0xb58);                            \
    NO_USE_AFTER(n + 1, gap, 0x10b, addi a3, a0, 11);                           \
    NO_USE_AFTER(n + 2, gap, 0, slti a3, a0, 11);                               \
    NO_USE_AFTER(n + 3, gap, 0, sltiu a3, a0, 11);                              \
    NO_USE_AFTER(n + 4, gap, 0x10b, xori a3, a0, 11);                           \
    NO_USE_AFTER(n + 5, gap, 0x10b, ori a3, a0, 11);                            \
    NO_USE_AFTER(n + 6, gap, 0, andi a3, a0, 11);                               \
    NO_USE_AFTER(n + 7, gap, 0x80000, slli a3, a0, 11);                         \
    NO_USE_AFTER(n + 8, gap, 0, srli a3, a0, 11);                               \
    NO_USE_AFTER(n + 9, gap, 0, srai a3, a0, 11);                               \
    NO_USE_AFTER(n + 10, gap, 0xffffffab, lb a3, 11(s0));                       \
    NO_USE_AFTER(n + 11, gap, 0x000000ab, lbu a3, 11(s0));                      \
    csrw mscratch, x0;                                                          \
    NO_USE_AFTER(n + 12, gap, 0, csrrwi a3, mscratch, 11);                      \
    NO_USE_AFTER(n + 13, gap, 11, csrrsi a3, mscratch, 11);                     \
    NO_USE_AFTER(n + 14, gap, 11, csrrci a3, mscratch, 11)

TEST_CODE_BEGIN

    la s0, load_data
    li a0, 0x100

    NO_USE_KINDS(1, ONE)
    NO_USE_KINDS(16, TWO)

    /* 31-32: auipc, a1's number in bits 19:15 and 24:20 of its immediate */
    TEST_NUM(31); li a3, 0
    lw a1, 0(s0)
    ONE
1:  auipc a3, 0xb58
    la a5, 1b; sub a3, a3, a5
    TEST_CHECK(a3, 0x00b58000)
    TEST_NUM(32); li a3, 0
    lw a1, 0(s0)
    TWO
2:  auipc a3, 0xb58
    la a5, 2b; sub a3, a3, a5
    TEST_CHECK(a3, 0x00b58000)

    /* 33: jal, whose offset of +32 KiB has ra's number (1) in bits 19:15 and 0 in bits 14:12, where jalr's funct3
       is: ra loaded one instruction before */
    TEST_NUM(33); li a3, 0
    lw ra, 0(s0)
    ONE
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

    /* 34-41: a CSR instruction on minstret with the immediate 11 (a1's number in rs1's field) right after the load
       waits until the pipeline behind it is empty (so that it sees every older instruction counted): the load then
       waits in writeback for its word, with a slow bus, while the memory stage is empty; the CSR instruction, which
       reads no register, goes on without waiting for the word */
    csrw minstreth, x0
    TEST_NUM(34); lw a1, 0(s0); csrrci a3, minstret, 11
    TEST_NUM(35); lw a1, 4(s0); csrrsi a3, minstret, 11
    TEST_NUM(36); lw a1, 8(s0); csrrci a3, minstret, 11
    TEST_NUM(37); lw a1, 0(s0); csrrsi a3, minstret, 11
    TEST_NUM(38); lw a1, 4(s0); csrrci a3, minstret, 11
    TEST_NUM(39); lw a1, 8(s0); csrrsi a3, minstret, 11
    TEST_NUM(40); lw a1, 0(s0); csrrci a3, minstret, 11
    TEST_NUM(41); lw a1, 4(s0); csrrsi a3, minstret, 11

TEST_CODE_END

TEST_DATA_BEGIN
load_data:
    .word 0x12345678           /*  0: loaded into a1 */
    .word 0x00000000
    .word 0xab000000           /*  8: byte 11 is 0xab */
TEST_DATA_END
