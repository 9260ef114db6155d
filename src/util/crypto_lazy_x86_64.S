/* One entry point per libcrypto function we call (libcrypto_functions.def), for x86-64 (System V).
   Each puts its index in %r11 and goes to kctl_crypto_dispatch, which jumps to the resolved
   function, resolving every function first if none is resolved yet (kctl_crypto_load in
   crypto_lazy.cpp). %r10 and %r11 are scratch registers that carry no arguments, so the caller's
   arguments (%rdi, %rsi, %rdx, %rcx, %r8, %r9, %xmm0-7, and %al for variadic calls) reach the
   real function untouched. The entry points are hidden: they serve this binary's own calls only,
   never libcurl's or libcrypto's own. */

#define KCTL_CRYPTO_FUNCTION(name)                                                                 \
  .globl name;                                                                                     \
  .hidden name;                                                                                    \
  .type name, @function;                                                                           \
  .p2align 4;                                                                                      \
  name:                                                                                            \
  movl $__COUNTER__, %r11d;                                                                        \
  jmp kctl_crypto_dispatch;                                                                        \
  .size name, .- name;

  .text
#include "libcrypto_functions.def"

  .p2align 4
  .type kctl_crypto_dispatch, @function
kctl_crypto_dispatch:
  leaq kctl_crypto_slots(%rip), %r10
  movq (%r10,%r11,8), %r10
  testq %r10, %r10
  jz .Lresolve
  jmp *%r10
.Lresolve:
  /* Entered by a jump from the entry point, so %rsp is as the caller's call left it (8 mod 16);
     after pushing %rbp it is 16-aligned, as the call below needs. */
  pushq %rbp
  movq %rsp, %rbp
  subq $192, %rsp
  movq %rdi, 0(%rsp)
  movq %rsi, 8(%rsp)
  movq %rdx, 16(%rsp)
  movq %rcx, 24(%rsp)
  movq %r8, 32(%rsp)
  movq %r9, 40(%rsp)
  movq %rax, 48(%rsp)
  movq %r11, 56(%rsp)
  movaps %xmm0, 64(%rsp)
  movaps %xmm1, 80(%rsp)
  movaps %xmm2, 96(%rsp)
  movaps %xmm3, 112(%rsp)
  movaps %xmm4, 128(%rsp)
  movaps %xmm5, 144(%rsp)
  movaps %xmm6, 160(%rsp)
  movaps %xmm7, 176(%rsp)
  call kctl_crypto_load
  movq 0(%rsp), %rdi
  movq 8(%rsp), %rsi
  movq 16(%rsp), %rdx
  movq 24(%rsp), %rcx
  movq 32(%rsp), %r8
  movq 40(%rsp), %r9
  movq 48(%rsp), %rax
  movq 56(%rsp), %r11
  movaps 64(%rsp), %xmm0
  movaps 80(%rsp), %xmm1
  movaps 96(%rsp), %xmm2
  movaps 112(%rsp), %xmm3
  movaps 128(%rsp), %xmm4
  movaps 144(%rsp), %xmm5
  movaps 160(%rsp), %xmm6
  movaps 176(%rsp), %xmm7
  movq %rbp, %rsp
  popq %rbp
  leaq kctl_crypto_slots(%rip), %r10
  jmp *(%r10,%r11,8)
  .size kctl_crypto_dispatch, .- kctl_crypto_dispatch

  .section .note.GNU-stack, "", @progbits
