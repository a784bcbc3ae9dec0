/*
 * counters.S: mcycle, minstret, their high halves, and the cycle/instret aliases
 *
 * minstret counts retired instructions: a read sees the instructions retired before it, and an
 * instruction that writes the counter writes instead of incrementing it. mcycle counts at least
 * one per retired instruction. The 64-bit counters carry into their high halves, and the
 * user-level cycle, instret, cycleh and instreth read the same counters.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    /* minstret advances by exactly one per retired instruction */
    TEST_CASE(1, a4, 0x00000003, csrr a1, minstret; nop; nop; csrr a2, minstret; sub a4, a2, a1)
    TEST_CASE(2, a4, 0x00000001, csrr a1, minstret; csrr a2, minstret; sub a4, a2, a1)
    TEST_CASE(3, a4, 0x0000000b, csrr a1, minstret; TEST_NOPS(10); csrr a2, minstret; sub a4, a2, a1)

    /* a write replaces the increment */
    TEST_CASE(4, a4, 0x00000000, csrw minstret, x0; csrr a4, minstret)
    TEST_CASE(5, a4, 0x00000065, li a1, 100; csrw minstret, a1; nop; csrr a4, minstret)

    /* the carry into minstreth */
    TEST_NUM(6)
    li a1, 0xfffffffe
    csrw minstreth, x0
    csrw minstret, a1
    nop
    nop
    csrr a2, minstreth
    csrr a3, minstret
    TEST_CHECK(a2, 1)
    TEST_CHECK(a3, 1)
    TEST_CASE(7, a4, 0x00000001, csrr a4, instreth)
    TEST_CASE(8, a4, 0x00000000, csrw minstreth, x0; csrr a4, minstreth)
    TEST_CASE(9, a4, 0x12345678, li a1, 0x12345678; csrw minstreth, a1; csrr a4, minstreth)

    /* instret is minstret */
    TEST_CASE(10, a4, 0x00000001, csrr a1, instret; csrr a2, minstret; sub a4, a2, a1)
    TEST_CASE(11, a4, 0x00000001, csrr a1, minstret; rdinstret a2; sub a4, a2, a1)
    TEST_CASE(12, a4, 0x00000000, csrr a1, minstreth; csrr a2, instreth; sub a4, a2, a1)

    /* mcycle counts up, at least once per instruction */
    TEST_CASE(13, a4, 0x00000001, csrr a1, mcycle; TEST_NOPS(10); csrr a2, mcycle; sub a3, a2, a1; sltiu a4, a3, 11; xori a4, a4, 1)
    TEST_CASE(14, a4, 0x00000001, csrw mcycle, x0; csrr a1, mcycle; sltiu a4, a1, 100)

    /* mcycleh holds what is written and takes the carry */
    TEST_CASE(15, a4, 0x00000005, li a1, 5; csrw mcycleh, a1; csrw mcycle, x0; csrr a4, mcycleh)
    TEST_NUM(16)
    li a1, 0xfffffff0
    csrw mcycleh, x0
    csrw mcycle, a1
    TEST_NOPS(40)
    csrr a2, mcycleh
    TEST_CHECK(a2, 1)
    csrw mcycleh, x0

    /* cycle is mcycle: rdcycle after mcycle reads no smaller value */
    TEST_CASE(17, a4, 0x00000000, csrr a1, mcycle; rdcycle a2; sltu a4, a2, a1)
    TEST_CASE(18, a4, 0x00000000, csrr a1, mcycleh; rdcycleh a2; sub a4, a2, a1)
    TEST_CASE(19, a4, 0x00000001, csrr a1, cycle; TEST_NOPS(4); csrr a2, cycle; sltu a4, a1, a2)

TEST_CODE_END

TEST_DATA_BEGIN
TEST_DATA_END
