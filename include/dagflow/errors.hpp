// The exceptions dagflow throws. Every one derives from dagflow::Error, so `catch (const
// dagflow::Error&)` catches anything the library itself reports.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace dagflow {

/// Base class of every exception dagflow throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Misuse of the API: an empty `Delayed`, an invalid option, a bad argument.
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A task graph that cannot run: a dependency on a key that is not in the graph, or a cycle.
/// `keys()` lists the keys involved (for a cycle, the whole cycle in dependency order).
class GraphError : public Error {
 public:
  /// An error with `message` (what() returns it) about the tasks `keys`.
  GraphError(const std::string& message, std::vector<std::string> keys) : Error(message), keys_(std::move(keys)) {}
  /// The keys involved: the missing key or dependency, or every key of a cycle in dependency order.
  const std::vector<std::string>& keys() const noexcept { return keys_; }

 private:
  std::vector<std::string> keys_;
};

/// A computation that stopped before all of its tasks ran although none of them failed, because the
/// oneTBB work that called `compute()` was cancelled from outside: a `compute()` nested in a task whose
/// own run fails, or in a `tbb::parallel_for` (or task group) that an exception cancels. The enclosing
/// work is being abandoned anyway, so its own error is what reaches the outermost caller; this one only
/// stops the nested `compute()` from returning results that no task produced.
class CancelledError : public Error {
 public:
  using Error::Error;
};

/// An exception thrown inside a task, as it reaches the caller of `compute()`.
///
/// The message names the task's key and repeats the original message; `original()` is the exception the
/// task threw, which `rethrow_original()` rethrows so that callers can catch it by its own type.
class TaskError : public Error {
 public:
  /// The failure of task `key`, which threw `original`. The message names the key and repeats the
  /// original's what(), e.g. "dagflow: task 'div-5c1f0e2a' failed: division by zero" ("unknown
  /// exception ..." for an exception not derived from std::exception, "<no message>" for one whose
  /// what() returns null).
  TaskError(std::string key, std::exception_ptr original);
  /// Key of the task that threw, e.g. "calc_pi-1f3a9c2e".
  const std::string& key() const noexcept { return key_; }
  /// The exception the task threw, as it was thrown.
  std::exception_ptr original() const noexcept { return original_; }
  /// Throws original(), e.g. to catch a task's std::system_error by its own type.
  [[noreturn]] void rethrow_original() const { std::rethrow_exception(original_); }

 private:
  std::string key_;
  std::exception_ptr original_;
};

/// What another MPI rank's task threw, as the other ranks see it: the exception object itself stays on
/// the rank that ran the task, so the others get its type name and message. With Scheduler::mpi every
/// rank throws the same TaskError for the same failed task; its original() is the task's own exception
/// on the rank that ran it and a RemoteTaskError everywhere else.
class RemoteTaskError : public Error {
 public:
  /// The failure reported by rank `rank`, whose task threw an exception of type `type` (demangled)
  /// with what() `message`.
  RemoteTaskError(int rank, std::string type, const std::string& message)
      : Error(message), rank_(rank), type_(std::move(type)) {}
  /// The rank whose task threw.
  int rank() const noexcept { return rank_; }
  /// The demangled type of the exception the task threw there, e.g. "std::invalid_argument".
  const std::string& type() const noexcept { return type_; }

 private:
  int rank_;
  std::string type_;
};

}  // namespace dagflow
