// Reading complex numbers from the command line, written as Python writes them ("-0.8+0.156j") or as
// mathematicians do ("-0.8+0.156i").
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <string>
#include <system_error>

namespace mandelbrot {

namespace detail {
// A whole string as a double; "+" and "-" (and "") alone stand for a unit coefficient, as in "1-i".
inline bool parse_part(const std::string& text, bool unit_allowed, double& out) {
  if (unit_allowed && (text.empty() || text == "+" || text == "-")) {
    out = text == "-" ? -1.0 : 1.0;
    return true;
  }
  // from_chars takes no leading '+'.
  const bool plus = text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+';
  const char* first = text.data() + (plus ? 1 : 0);
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, out);
  return error == std::errc() && end == last;
}

// The number `text` spells, finite or not (see parse_complex).
inline std::complex<double> parse_complex_text(const std::string& text) {
  std::string s = text;
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  const auto fail = [&text]() -> std::complex<double> {
    throw std::invalid_argument("'" + text + "' is not a complex number such as -0.8+0.156i");
  };
  if (s.empty()) return fail();
  double re = 0, im = 0;
  if (s.back() != 'i' && s.back() != 'j') return detail::parse_part(s, false, re) ? std::complex<double>(re, 0) : fail();

  s.pop_back();
  // The imaginary part starts at the last sign that is not the first character or an exponent's.
  std::size_t split = std::string::npos;
  for (std::size_t k = s.size(); k-- > 1;) {
    if ((s[k] == '+' || s[k] == '-') && s[k - 1] != 'e' && s[k - 1] != 'E') {
      split = k;
      break;
    }
  }
  if (split == std::string::npos) return detail::parse_part(s, true, im) ? std::complex<double>(0, im) : fail();
  if (!detail::parse_part(s.substr(0, split), false, re) || !detail::parse_part(s.substr(split), true, im)) return fail();
  return {re, im};
}

}  // namespace detail

/// Parses "a", "bi", "a+bi" or "a-bi" (the unit may be i or j; spaces are ignored), e.g.
/// "-1.1195+0.2718i". Throws std::invalid_argument quoting the text when it is not such a number, or
/// when a part is not finite ("nan", "inf": from_chars reads them, but no picture has such a point).
inline std::complex<double> parse_complex(const std::string& text) {
  const std::complex<double> z = detail::parse_complex_text(text);
  if (!std::isfinite(z.real()) || !std::isfinite(z.imag()))
    throw std::invalid_argument("'" + text + "' is not a finite complex number (nan and inf are not allowed)");
  return z;
}

}  // namespace mandelbrot
