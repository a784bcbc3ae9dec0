/*
 * targets.S: the attack set's targets and attacking instructions, in assembly so that each attacking instruction
 * has a symbol (attack_*_at) the tests compare the stopping pc with.
 */
#include "attacks.h"

    .text
    .balign 4

/*
 * uint32_t unlock(uint32_t password): opens the vault (vault_open()) and returns 1 when password is right, else 0.
 * unlock_granted is the instruction after the check: reaching it without the check is what three attacks do.
 */
    .globl unlock
    .type unlock, @function
unlock:
    li      t0, ATTACK_PASSWORD
    bne     a0, t0, 1f
    .globl unlock_granted
unlock_granted:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    call    vault_open
    lw      ra, 12(sp)
    addi    sp, sp, 16
    li      a0, 1
    ret
1:  li      a0, 0
    ret
    .size unlock, . - unlock

/* int victim(void): returns ATTACK_VICTIM_RESULT; its first word is what the code-overwrite attack replaces. */
    .globl victim
    .type victim, @function
victim:
    li      a0, ATTACK_VICTIM_RESULT
    ret
    .size victim, . - victim

/* void store_word(uint32_t *address, uint32_t value): one store, attack_store_at (code overwrite, heap overflow, use after free). */
    .globl store_word
    .type store_word, @function
store_word:
    .globl attack_store_at
attack_store_at:
    sw      a1, 0(a0)
    ret
    .size store_word, . - store_word

/* uint32_t load_word(const uint32_t *address): one load, attack_load_at (a tainted pointer). */
    .globl load_word
    .type load_word, @function
load_word:
    .globl attack_load_at
attack_load_at:
    lw      a0, 0(a0)
    ret
    .size load_word, . - load_word

/* void call_address(uint32_t target, uint32_t argument): an indirect call, attack_call_at (a tainted jump target). */
    .globl call_address
    .type call_address, @function
call_address:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    mv      t1, a0
    mv      a0, a1
    .globl attack_call_at
attack_call_at:
    jalr    ra, 0(t1)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret
    .size call_address, . - call_address

/*
 * void copy_to_stack(const uint32_t *words, uint32_t count): copies count words into a 3-word buffer on its stack
 * frame, right below its saved return address: a fourth word overwrites it, and the return (attack_ret_at) goes there.
 */
    .globl copy_to_stack
    .type copy_to_stack, @function
copy_to_stack:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    mv      t0, sp
1:  beqz    a1, 2f
    lw      t1, 0(a0)
    sw      t1, 0(t0)
    addi    a0, a0, 4
    addi    t0, t0, 4
    addi    a1, a1, -1
    j       1b
2:  lw      ra, 12(sp)
    addi    sp, sp, 16
    .globl attack_ret_at
attack_ret_at:
    ret
    .size copy_to_stack, . - copy_to_stack
