// True in a program built with AddressSanitizer (GCC defines __SANITIZE_ADDRESS__, clang
// answers __has_feature): tests that size their work in seconds of a release build use less
// of it there, where the same work takes ten times as long or more.
#pragma once

namespace cobrador::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace cobrador::testing
