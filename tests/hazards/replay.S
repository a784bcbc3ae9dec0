/*
 * replay.S: instructions that wait in decode for an operand and are presented again
 *
 * An instruction whose operand is not ready goes on to execute as a bubble and comes back from there, while
 * fetch has already asked for its successor. Each case makes such an instruction do something that depends on
 * the fields it comes back with: trap with its own pc and word (an illegal instruction, a misaligned load), read
 * minstret, branch back in a loop, jump through the loaded register, and wait twice in a row.
 */
#include "test_macros.h"

TEST_CODE_BEGIN

    la s0, replay_data

    /* 1: an illegal word that reads the register just loaded: mepc is its own pc, mtval its word */
    TEST_TRAP_SETUP(1, CAUSE_ILLEGAL_INSTRUCTION)
    lw s6, 0(s9)
    mv s10, s6
    lw a1, 0(s0)
1:  .word 0xfeb58633           /* funct7 0x7f: no such operation; rs1 = rs2 = a1, rd = a2 */
2:  la t5, test_unexpected_trap; csrw mtvec, t5
    TEST_CHECK(s7, 1)

    /* 2: an illegal word after a load-use whose consumer also waited: two presented in a row */
    TEST_TRAP_SETUP(2, CAUSE_ILLEGAL_INSTRUCTION)
    lw s6, 0(s9)
    mv s10, s6
    lw a1, 0(s0)
    addi a3, a1, 1
1:  .word 0xfeb68633           /* reads a3, computed from the load */
2:  la t5, test_unexpected_trap; csrw mtvec, t5
    TEST_CHECK(s7, 1)

    /* 3: a misaligned load whose base was just loaded: mepc its pc, mtval the address */
    TEST_TRAP_SETUP(3, CAUSE_MISALIGNED_LOAD)
    lw s6, 4(s0)
    addi s6, s6, 2
    mv s10, s6
    lw a1, 4(s0)
1:  lw a2, 2(a1)
2:  la t5, test_unexpected_trap; csrw mtvec, t5
    TEST_CHECK(s7, 1)

    /* 4: minstret read right after a load: the read waits for the pipeline to drain, also when presented again */
    TEST_NUM(4)
    csrr a4, minstret
    lw a1, 0(s0)
    add a2, a1, a1
    csrr a3, minstret
    sub a3, a3, a4
    TEST_CHECK(a3, 3)

    /* 5: a loop whose back edge waits for the value it tests */
    TEST_NUM(5)
    li a3, 0
    li a2, 6
1:  addi a3, a3, 5
    addi a2, a2, -1
    sw a2, 8(s0)
    lw a1, 8(s0)
    bnez a1, 1b
    TEST_CHECK(a3, 30)

    /* 6: a jalr through the register just loaded, twice (the second time its target is known to a predictor) */
    TEST_NUM(6)
    li a3, 0
    li a2, 2
3:  lw a1, 12(s0)
    jalr ra, 0(a1)
    addi a2, a2, -1
    bnez a2, 3b
    TEST_CHECK(a3, 14)

    /* 7: a store whose data and address were both just loaded, then the word read back */
    TEST_NUM(7)
    lw a1, 16(s0)
    sw a1, 0(a1)
    lw a4, 0(a1)
    sub a4, a4, a1
    TEST_CHECK(a4, 0)

TEST_CODE_END

    .text
replay_add_seven:
    addi a3, a3, 7
    ret

TEST_DATA_BEGIN
replay_data:
    .word 0x10                 /*  0 */
    .word replay_word          /*  4 */
    .word 0                    /*  8: scratch */
    .word replay_add_seven     /* 12 */
    .word replay_scratch       /* 16 */
replay_word:
    .word 0x11223344
replay_scratch:
    .word 0
TEST_DATA_END
