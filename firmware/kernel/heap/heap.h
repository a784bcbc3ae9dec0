/*
 * heap.h: the heap between the end of the program (__heap_start) and the stack's reserve (__heap_end).
 *
 * malloc, calloc, realloc and free of <stdlib.h> are this allocator. Every block starts with an 8-byte header;
 * payloads are 8-byte aligned. malloc takes the first free block large enough (lowest address first),
 * splitting off the rest when at least HEAP_MIN_BLOCK bytes remain; free returns the block to the
 * address-ordered free list and merges it with the free blocks right before and after it. Each block
 * handed out gets a fresh colour from the PEX (pex_colour); a freed one gets PEX_COLOUR_FREE.
 */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>
#include <stdint.h>

/* Header bytes before every payload, and the smallest block (header and payload) ever split off. */
#define HEAP_HEADER_BYTES 8u
#define HEAP_MIN_BLOCK    16u

struct heap_stats
{
    size_t free_bytes;    /* bytes in free blocks, headers included */
    size_t largest_free;  /* the largest free block, header included */
    size_t free_blocks;   /* blocks on the free list */
    size_t used_blocks;   /* blocks handed out and not freed */
    size_t total_bytes;   /* the whole heap */
};

/* Fills stats with the heap's state now. */
void heap_stats(struct heap_stats *stats);

/* The colour the last malloc gave its block (0 before the first). */
uint32_t heap_last_colour(void);

#endif /* HEAP_H */
