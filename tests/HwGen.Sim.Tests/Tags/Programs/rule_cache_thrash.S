/*
 * rule_cache_thrash: more live rules than a rule cache of 64 entries holds. Forty-eight functions, each with its
 * own Function slot under cfi (an indirect jump within it puts its number on its words and in the PC tag after the
 * jump: its own CI and PC tags, so its own rules), load a word, change it, store it back and return; the loop
 * calls all of them three times, so every rule is evicted and missed again. The words' sum is checked at the end:
 * a wrong rule output or a lost store ends with code 2.
 */
#include "policy_test.h"

#define FUNCTIONS 48
#define ROUNDS 3

    .altmacro
    .macro call_all n
    .if \n
    call_all %(\n - 1)
    .endif
    call f\n
    .endm

    .macro function n
    .text
    .balign 4
    .globl f\n
    .type f\n, @function
f\n:
    lw t0, (4 * \n)(s2)
    /* An indirect jump within the function: under cfi its words carry its number, so its rules are its own. */
    la t2, 4f
    jr t2
4:
    addi t0, t0, \n + 1
    xor t1, t0, s2
    sw t0, (4 * \n)(s2)
    ret
    .size f\n, . - f\n
    .endm

    .macro functions n
    .if \n
    functions %(\n - 1)
    .endif
    function \n
    .endm

POLICY_TEST_BEGIN
    la s2, words
    li s1, ROUNDS
1:
    call_all %(FUNCTIONS - 1)
    addi s1, s1, -1
    bnez s1, 1b
    /* Each word k holds ROUNDS * (k + 1): the sum is ROUNDS * FUNCTIONS * (FUNCTIONS + 1) / 2. */
    li t2, 0
    li t3, 0
2:
    slli t4, t3, 2
    add t4, t4, s2
    lw t4, 0(t4)
    add t2, t2, t4
    addi t3, t3, 1
    li t4, FUNCTIONS
    bne t3, t4, 2b
    li t4, ROUNDS * FUNCTIONS * (FUNCTIONS + 1) / 2
    bne t2, t4, 3f
    POLICY_PASS
3:
    POLICY_FAIL(2)
POLICY_TEST_END

functions %(FUNCTIONS - 1)

    .data
    .balign 4
words:
    .fill FUNCTIONS, 4, 0
