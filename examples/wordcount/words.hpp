// The words of a text, as the word-count example counts them, and the two ways of counting them.
//
// A word is a run of the bytes [a-z0-9'] after ASCII letters are lower-cased. Every other byte
// separates words: white space, punctuation, line ends, and every byte of a non-ASCII character (so
// the UTF-8 byte-order mark, typographic quotes and dashes, and accented letters split words too).
// No decoding is done: this is the same rule on any input, and a word never spans two lines.
//
// - to_lower and split_words are the course's `str.lower()` and `str.split()`, one line at a time,
//   for the literal pipeline (a std::string per word).
// - WordCounter does the same work in one pass over a buffer without making a string per word: it
//   lower-cases the text in place and counts each word as a view into it. count_words applies it to
//   one partition of lines; the serial version applies it to whole files.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wordcount {

/// A word and how often it occurs.
using WordCount = std::pair<std::string, std::size_t>;

/// What the example prints: the most frequent words (most frequent first, ties in order of first
/// appearance), and the numbers of words and of distinct words.
struct Summary {
  std::vector<WordCount> top;
  std::size_t total_words = 0;
  std::size_t distinct_words = 0;

  /// How cereal writes and reads a Summary: the result of `wordcount --mpi` travels to every rank.
  template <class Archive>
  void serialize(Archive& archive) {
    archive(top, total_words, distinct_words);
  }
};

namespace detail {

// word_bytes[b] is the lower-case form of byte b when b belongs in a word, and 0 when b separates words.
constexpr std::array<char, 256> make_word_bytes() {
  std::array<char, 256> table{};
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c = 'A'; c <= 'Z'; ++c) table[static_cast<unsigned char>(c)] = static_cast<char>(c - 'A' + 'a');
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  table[static_cast<unsigned char>('\'')] = '\'';
  return table;
}
inline constexpr std::array<char, 256> word_bytes = make_word_bytes();

}  // namespace detail

/// The lower-case form of `c` when it belongs in a word ([A-Za-z0-9']), or '\0' when it separates words.
constexpr char word_byte(char c) noexcept { return detail::word_bytes[static_cast<unsigned char>(c)]; }

/// `line` with its ASCII letters lower-cased and every other byte unchanged: the course's str.lower().
inline std::string to_lower(std::string line) {
  for (char& c : line)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return line;
}

/// The words of `line` in order: its runs of [A-Za-z0-9'], copied as they are (lower-case the line
/// first). The course's str.split(), but splitting at punctuation and non-ASCII bytes, not only spaces.
inline std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  const char* const end = line.data() + line.size();
  for (const char* p = line.data(); p != end;) {
    if (word_byte(*p) == '\0') {
      ++p;
      continue;
    }
    const char* const start = p;
    while (p != end && word_byte(*p) != '\0') ++p;
    words.emplace_back(start, p);
  }
  return words;
}

/// Counts the words of text buffers, lower-casing them in place. Each distinct word is copied once,
/// when it first occurs, into the counter's own storage: no allocation per word, and a buffer may be
/// reused or freed as soon as add_text returns. Words are listed in order of first appearance, as
/// Bag::frequencies lists them, so both pipelines agree exactly.
///
/// Why it is fast: a byte-at-a-time loop mispredicts a branch at nearly every word boundary, so the
/// text is classified 16 bytes at a time into a bit mask (SSE2 where there is SSE2), and words are
/// found from the mask's bit changes. A word's first 16 bytes, zero-padded, are its key in the table:
/// hashed with two multiplications and compared as two integers (no memcmp for most words).
class WordCounter {
 public:
  /// Lower-cases the text in place and counts its words.
  void add_text(std::string& text) { add_text(text.data(), text.data() + text.size()); }

  /// Lower-cases [text, end) in place and counts its words. Throws std::length_error beyond 2^32 - 2
  /// distinct words.
  void add_text(char* const text, char* const end) {
    char* word = nullptr;  // start of the word being read across chunks, or null between words
    char* chunk = text;
    for (; end - chunk >= 16; chunk += 16) add_words(chunk, lower_and_classify(chunk), word, end);
    if (chunk != end) add_words(chunk, lower_and_classify(chunk, static_cast<std::size_t>(end - chunk)), word, end);
    if (word != nullptr) add(word, end, end);  // the text ends in a word, at a chunk boundary
  }

  /// Number of distinct words.
  std::size_t distinct() const noexcept { return entries_.size(); }
  /// Number of words counted.
  std::size_t total() const noexcept { return total_; }

  /// Each distinct word (a view into the counter's storage) with its count, in order of first appearance.
  template <class F>
  void for_each(F&& f) const {
    for (const Entry& entry : entries_) f(entry.word, entry.count);
  }

  /// The words with their counts as strings, in order of first appearance.
  std::vector<WordCount> counts() const {
    std::vector<WordCount> out;
    out.reserve(entries_.size());
    for (const Entry& entry : entries_) out.emplace_back(std::string(entry.word), entry.count);
    return out;
  }

 private:
  struct Key {
    std::uint64_t low, high;  // the word's first 16 bytes, zero-padded (words hold no zero byte)
    bool operator==(const Key&) const = default;
  };
  struct Entry {
    Key key;
    std::string_view word;
    std::uint64_t hash;
    std::size_t count;
  };
  static constexpr std::uint64_t index_bits = 0xffffffffULL;  // a slot's low half: entry index + 1

  // Lower-cases the 16 bytes at p and returns a mask with bit i set when byte i belongs in a word.
  static std::uint32_t lower_and_classify(char* p) noexcept {
#if defined(__SSE2__)
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i upper = in_range(bytes, 'A', 26);
    const __m128i lower = _mm_or_si128(bytes, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), lower);
    const __m128i word = _mm_or_si128(_mm_or_si128(in_range(lower, 'a', 26), in_range(lower, '0', 10)),
                                      _mm_cmpeq_epi8(lower, _mm_set1_epi8('\'')));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(word));
#else
    return lower_and_classify(p, 16);
#endif
  }

#if defined(__SSE2__)
  // 0xff in the bytes b with first <= b < first + count, 0 in the others (unsigned comparison).
  static __m128i in_range(__m128i bytes, char first, char count) noexcept {
    const __m128i offset = _mm_sub_epi8(bytes, _mm_set1_epi8(first));
    return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(count - 1))), offset);
  }
#endif

  // The same for the n <= 16 bytes at p, a byte at a time.
  static std::uint32_t lower_and_classify(char* p, std::size_t n) noexcept {
    std::uint32_t mask = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = word_byte(p[i]);
      p[i] = c != '\0' ? c : p[i];
      mask |= std::uint32_t{c != '\0'} << i;
    }
    return mask;
  }

  // Counts the words that end in the chunk at `chunk`, whose word bytes are the set bits of `mask`;
  // `word` carries a word that runs on into the next chunk. A word starts or ends wherever the mask
  // changes from the byte before (the byte before the chunk being a word byte when `word` is set).
  void add_words(char* chunk, std::uint32_t mask, char*& word, const char* end) {
    const std::uint32_t previous = (mask << 1) | (word != nullptr ? 1u : 0u);
    for (std::uint32_t changes = (mask ^ previous) & 0xffffu; changes != 0; changes &= changes - 1) {
      char* const at = chunk + std::countr_zero(changes);
      if (word == nullptr) {
        word = at;
      } else {
        add(word, at, end);
        word = nullptr;
      }
    }
  }

  // Counts the word [first, last); `end` is the end of its buffer (how far a 16-byte load may reach).
  void add(const char* first, const char* last, const char* end) {
    ++total_;
    const auto size = static_cast<std::size_t>(last - first);
    const Key key = load_key(first, size, end);
    std::uint64_t hash = (key.low * 0x9e3779b97f4a7c15ULL) ^ std::rotl(key.high * 0xc2b2ae3d27d4eb4fULL, 31) ^ size;
    for (std::size_t i = 16; i < size; ++i) hash = (hash ^ static_cast<unsigned char>(first[i])) * 0x100000001b3ULL;
    hash ^= hash >> 29;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 32;

    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    // A slot holds the entry's index and the high half of its hash, so most mismatches are settled
    // without touching the entry.
    const std::uint64_t tag = hash & ~index_bits;
    for (std::size_t i = home(hash);; i = (i + 1) & mask_) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) {
        if (entries_.size() >= index_bits - 1) throw std::length_error("wordcount: more than 2^32 - 2 distinct words");
        entries_.push_back({key, keep(first, size), hash, 1});
        slots_[i] = tag | entries_.size();
        return;
      }
      if ((slot & ~index_bits) == tag) {
        Entry& entry = entries_[(slot & index_bits) - 1];
        if (entry.key == key && entry.word.size() == size &&
            (size <= 16 || std::memcmp(entry.word.data() + 16, first + 16, size - 16) == 0)) {
          ++entry.count;
          return;
        }
      }
    }
  }

  // The first min(size, 16) bytes at `first`, zero-padded; loads 16 bytes at once and masks off the
  // bytes after the word (on little-endian machines, where they are the high bytes) unless that would
  // read past `end`.
  static Key load_key(const char* first, std::size_t size, const char* end) noexcept {
    Key key{0, 0};
    if (std::endian::native == std::endian::little && end - first >= 16) {
      std::memcpy(&key, first, 16);
      if (size < 16) {
        key.high = size <= 8 ? 0 : key.high & ~(~0ULL << (8 * (size - 8)));
        key.low = size >= 8 ? key.low : key.low & ~(~0ULL << (8 * size));
      }
    } else {
      std::memcpy(&key, first, std::min<std::size_t>(size, 16));
    }
    return key;
  }

  // Fibonacci hashing: the multiplication mixes every bit of the hash into the top bits used.
  std::size_t home(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>((hash * 0x9e3779b97f4a7c15ULL) >> shift_);
  }

  // A copy of the word [first, first + size) that lives as long as the counter. Words are appended to
  // blocks that are never reallocated, so earlier views stay valid.
  [[gnu::noinline]] std::string_view keep(const char* first, std::size_t size) {
    if (words_.empty() || words_.back().capacity() - words_.back().size() < size) {
      words_.emplace_back();
      words_.back().reserve(std::max<std::size_t>(size, word_block_size));
    }
    std::string& block = words_.back();
    const std::size_t at = block.size();
    block.append(first, size);
    return {block.data() + at, size};
  }

  // Doubles the table (keeping it at most half full) and re-places the entries from their hashes.
  void grow() {
    const std::size_t size = slots_.empty() ? 1024 : 2 * slots_.size();
    slots_.assign(size, 0);
    mask_ = size - 1;
    shift_ = 64;
    for (std::size_t s = size; s > 1; s >>= 1) --shift_;
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      std::size_t i = home(entries_[e].hash);
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = (entries_[e].hash & ~index_bits) | (e + 1);
    }
  }

  static constexpr std::size_t word_block_size = std::size_t{1} << 16;

  std::vector<Entry> entries_;        // in order of first appearance
  std::vector<std::string> words_;    // the distinct words' bytes, in blocks that never move
  std::vector<std::uint64_t> slots_;  // open addressing; 0 is an empty slot
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t total_ = 0;
};

/// The words of one partition of texts with their counts, in order of first appearance: what
/// `map(to_lower).map(split_words).flatten()` and the per-partition step of `frequencies()` compute,
/// in one pass and without a string per word. The texts are lines (from read_text) or whole blocks
/// of lines (from read_blocks); no word runs from one text into the next.
inline std::vector<WordCount> count_words(std::vector<std::string> texts) {
  // The counter classifies long stretches 16 bytes at a time but the last bytes of each stretch one
  // at a time. A block is long, and counted where it is. Lines are short (about 70 bytes in a novel),
  // so they are copied, a '\n' after each, into a buffer of a few dozen KiB that stays in the cache,
  // and counted a buffer at a time. Each text is freed as soon as it is counted or copied.
  constexpr std::size_t buffer_size = std::size_t{1} << 15;
  WordCounter counter;
  std::string buffer;
  for (std::string& text : texts) {
    if (!buffer.empty() && buffer.size() + text.size() >= buffer_size) {
      counter.add_text(buffer);  // before what follows, to keep the order of first appearance
      buffer.clear();
    }
    if (text.size() >= buffer_size) {
      counter.add_text(text);
    } else {
      buffer.append(text).push_back('\n');
    }
    std::string().swap(text);
  }
  counter.add_text(buffer);
  return counter.counts();
}

}  // namespace wordcount
