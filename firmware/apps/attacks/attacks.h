/*
 * attacks.h: what the attack set's C and assembly share.
 */
#ifndef ATTACKS_H
#define ATTACKS_H

/* The exit code of an attack that got through; a stopped one ends with the trap handler's 0x118 (a policy violation). */
#define ATTACK_SUCCEEDED_EXIT 0x5a

/* The password unlock() wants, and what victim() returns before and after its code is overwritten. */
#define ATTACK_PASSWORD      0x0badc0deu
#define ATTACK_VICTIM_RESULT 1
#define ATTACK_INJECTED      0x5a

/* What jump_through() returns from each of its cases. */
#define ATTACK_JUMP_CASE0 10
#define ATTACK_JUMP_CASE1 11

#endif /* ATTACKS_H */
