// Which input files are gzip-compressed: the `compression` option of bag::read_text and
// bag::read_blocks.
#pragma once

namespace dagflow::bag {

/// How read_text and read_blocks decide whether a file is gzip-compressed (ReadTextOptions::compression).
/// A gzip file is always read whole, as one partition. Choosing a value throws nothing; a file said to
/// be gzip that is not makes compute() throw TaskError (see read_text).
///
///   auto lines = dagflow::bag::read_text("logs/*.log", {.compression = dagflow::bag::Compression::gzip});
enum class Compression {
  infer,  ///< gzip when the file name ends in ".gz", otherwise plain text (the default)
  none,   ///< every file is plain text, whatever its name
  gzip,   ///< every file is gzip-compressed, whatever its name
};

}  // namespace dagflow::bag
