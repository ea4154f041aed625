// RAII owners for libgcrypt handles, so that no early return leaks one.
#pragma once

#include <gcrypt.h>

#include <memory>

namespace guru::crypto {

struct SexpFree { void operator()(gcry_sexp_t s) const { gcry_sexp_release(s); } };
struct MpiFree { void operator()(gcry_mpi_t m) const { gcry_mpi_release(m); } };
struct CipherFree { void operator()(gcry_cipher_hd_t h) const { gcry_cipher_close(h); } };
struct MacFree { void operator()(gcry_mac_hd_t h) const { gcry_mac_close(h); } };
struct CtxFree { void operator()(gcry_ctx_t c) const { gcry_ctx_release(c); } };

/// Owned S-expression.
using Sexp = std::unique_ptr<std::remove_pointer_t<gcry_sexp_t>, SexpFree>;
/// Owned multi-precision integer.
using Mpi = std::unique_ptr<std::remove_pointer_t<gcry_mpi_t>, MpiFree>;
/// Owned cipher handle.
using Cipher = std::unique_ptr<std::remove_pointer_t<gcry_cipher_hd_t>, CipherFree>;
/// Owned MAC handle.
using Mac = std::unique_ptr<std::remove_pointer_t<gcry_mac_hd_t>, MacFree>;
/// Owned EC context.
using EcContext = std::unique_ptr<std::remove_pointer_t<gcry_ctx_t>, CtxFree>;

/// Initialises libgcrypt once (thread-safe); false if the library is unusable.
bool ensureInitialised();

}  // namespace guru::crypto
