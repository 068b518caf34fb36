/* Password hashes: Argon2id through libsodium's crypto_pwhash_str at its interactive limits
 * (64 MiB of memory and about 0.1 s of a processor each).
 *
 * A thread that must not slow its process down asks, once, to hash in a helper process
 * (pwhash_offload): the program's binary started as PROGRAM --pwhash-helper at the thread's first
 * hash, which answers one request at a time on a socket and ends when the thread lets it go or
 * the process ends. Any other thread, and one whose helper cannot be started, hashes itself. */
#pragma once

#include <stddef.h>

#define PWHASH_STRBYTES 128   /* = crypto_pwhash_STRBYTES: an encoded hash and its NUL */
#define PWHASH_INPUT_MAX 4096 /* the longest password these take */
#define PWHASH_HELPER_ARG "--pwhash-helper"

/* The encoded hash of the n bytes of password, with a new salt, into out: 0, -EINVAL for a
 * password over PWHASH_INPUT_MAX, -ENOMEM when the memory could not be had, -EIO. */
int pwhash_str(char out[PWHASH_STRBYTES], const char *password, size_t n);

/* 0 when the n bytes of password match stored (an encoded hash); -EACCES when they do not or
 * stored is not a hash; -EIO. */
int pwhash_verify(const char *stored, const char *password, size_t n);

/* The binary that serves as a helper (its main() calls pwhash_helper_main when its one argument is
 * PWHASH_HELPER_ARG), such as "/proc/self/exe"; set before any thread starts. Without it every
 * thread hashes itself. */
void pwhash_helper_program(const char *path);

/* From now on this thread hashes in a helper process, started at its first hash. */
void pwhash_offload(void);

/* This thread's helper, if it started one, ends: its socket is closed and it is waited for. */
void pwhash_offload_end(void);

/* The helper's life: answers the requests that come on descriptor 0 until it is closed; the exit
 * status. main() calls it for PWHASH_HELPER_ARG. */
int pwhash_helper_main(void);
