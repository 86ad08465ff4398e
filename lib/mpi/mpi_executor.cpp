// The MPI executor: each rank runs its share of the plan on its own Dispatcher, and the calling thread
// moves results between ranks.
//
// Every rank plans the same graph (checked: plan_check.cpp) and places it the same way (placement.cpp),
// so each one knows, without asking, which tasks it runs, which results it sends to whom and how many
// it will receive. Workers run local tasks; a task whose result is read elsewhere serializes it on the
// worker that ran it and leaves it in a queue. The calling thread is the only one that talks to MPI
// (MPI_THREAD_SERIALIZED is enough): it sends what the queue holds, receives results and hands them to
// the dispatcher as if a local task had produced them, until the counts it knows in advance are met. No
// termination protocol is needed for that; the one collective at the end (an allreduce of the first
// failure) makes every rank agree on success or on the same TaskError, and then broadcasts the outputs.
#include "mpi/mpi_executor.hpp"

#include <mpi.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <atomic>
#include <boost/core/demangle.hpp>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <typeinfo>
#include <utility>
#include <vector>

#include "dagflow/detail/run_api.hpp"
#include "dagflow/errors.hpp"
#include "dispatcher.hpp"
#include "log.hpp"
#include "mpi/placement.hpp"
#include "mpi/plan_check.hpp"
#include "mpi/world.hpp"

namespace dagflow::detail {

namespace {

enum Tag : int {
  result_tag = 1,   // a result's first (often only) piece, starting with a ResultHeader
  piece_tag = 2,    // the following pieces of a result too large for one message
  failure_tag = 3,  // "one of my tasks failed": the receiver stops its share
  outputs_tag = 4,  // outputs sent to compute_at's rank
};

struct ResultHeader {
  std::uint32_t task;
  std::uint32_t reserved;
  std::uint64_t bytes;  // of the serialized value that follows
};
constexpr std::size_t header_size = sizeof(ResultHeader);

// The largest MPI message: counts are ints, and a value over 2 GiB goes in pieces. DAGFLOW_MPI_MAX_MESSAGE
// lowers it (the tests use it to send pieces without gigabytes of data).
std::size_t max_message_bytes() {
  constexpr std::size_t limit = std::size_t{1} << 30;
  static const std::size_t bytes = [] {
    const char* text = std::getenv("DAGFLOW_MPI_MAX_MESSAGE");
    const unsigned long long value = text != nullptr ? std::strtoull(text, nullptr, 10) : 0;
    return value >= 64 && value < limit ? static_cast<std::size_t>(value) : limit;
  }();
  return bytes;
}

// Results smaller than this that go to the same rank at about the same time share one message.
constexpr std::size_t batch_bytes = std::size_t{64} << 10;

int as_count(std::size_t bytes) noexcept { return static_cast<int>(bytes); }

std::atomic<bool>& compute_running() {
  static std::atomic<bool> running{false};
  return running;
}

// The calling thread waits for messages by polling (MPI offers nothing to block on that also wakes for
// the workers' queue): a few spins, then yields, then short sleeps once nothing happened for a while, so
// that an idle rank leaves its cores to the workers (and to other ranks on the same machine).
class IdlePoll {
 public:
  void reset() noexcept { rounds_ = 0; }
  void pause() {
    ++rounds_;
    if (rounds_ < spin_rounds) return;
    if (rounds_ < yield_rounds) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }

 private:
  static constexpr unsigned spin_rounds = 64;
  static constexpr unsigned yield_rounds = 4096;
  unsigned rounds_ = 0;
};

// A serialized result on its way to other ranks: header, then the bytes of the value.
struct Outgoing {
  std::uint32_t task;
  std::string frame;
};

// What an exception says about itself, for the ranks that cannot have the object.
std::pair<std::string, std::string> describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    const char* message = e.what();
    return {boost::core::demangle(typeid(e).name()), message != nullptr ? message : "<no message>"};
  } catch (...) {
    return {"unknown", "unknown exception (not derived from std::exception)"};
  }
}

void append_u64(std::string& bytes, std::uint64_t value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::uint64_t read_u64(std::string_view bytes, std::size_t& at) {
  if (at + sizeof(std::uint64_t) > bytes.size()) throw Error("dagflow: Scheduler::mpi: a truncated message");
  std::uint64_t value = 0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  at += sizeof value;
  return value;
}

std::string_view read_bytes(std::string_view bytes, std::size_t& at) {
  const std::uint64_t length = read_u64(bytes, at);
  if (length > bytes.size() - at) throw Error("dagflow: Scheduler::mpi: a truncated message");
  const std::string_view part = bytes.substr(at, length);
  at += length;
  return part;
}

// The calling thread of an MPI compute waits for messages instead of running tasks, so the workers are
// `workers` threads of their own; oneTBB allows one fewer by default (it counts on the caller joining),
// so its limit is raised once to fit. Never lowered, never destroyed (as the arena cache).
void allow_worker_threads(int workers) {
  static tbb::global_control* raised = nullptr;
  const auto wanted = static_cast<std::size_t>(workers) + 1;
  if (tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism) >= wanted) return;
  delete raised;
  raised = new tbb::global_control(tbb::global_control::max_allowed_parallelism, wanted);
}

class MpiExecutor;

// The dispatcher's hook after each local task: a result that other ranks read is serialized right away,
// before local readers may move it, and queued for the calling thread to send.
struct SendResult {
  static constexpr bool counts_busy_workers = true;  // so that deliver() may run a task on the caller
  MpiExecutor* executor;
  bool operator()(std::uint32_t task) const;
};

class MpiExecutor final : public Executor {
 public:
  MpiExecutor(const ComputeOptions& options, int output_rank)
      : options_(options),
        output_rank_(output_rank),
        comm_(mpi_comm()),
        me_(mpi_rank()),
        ranks_(mpi_size()),
        workers_(options.workers > 0 ? options.workers : tbb::info::default_concurrency()) {}
  MpiExecutor(const MpiExecutor&) = delete;
  MpiExecutor& operator=(const MpiExecutor&) = delete;
  ~MpiExecutor() override { compute_running().store(false, std::memory_order_release); }

  std::span<const std::uint32_t> prepare(const Plan& plan) override {
    if (output_rank_ != all_ranks && (output_rank_ < 0 || output_rank_ >= ranks_))
      throw UsageError("dagflow::mpi::compute_at: root " + std::to_string(output_rank_) + " is not a rank (there are " +
                       std::to_string(ranks_) + ")");
    if (ranks_ == 1) return plan.uses();
    const std::vector<std::uint8_t> kinds = check_same_plan(plan, comm_);
    placement_.emplace(plan, kinds, me_, ranks_, options_.placement, output_rank_);
    if (placement_->kept_with_producer() != 0 && me_ == 0) {
      const Node& example = plan.node(placement_->example_kept());
      logger().info(
          "dagflow::mpi: {} tasks read results that cannot be sent between ranks, so they run where those are "
          "made (one such result: '{}', a {}); a cereal serialize() for the type would let them spread",
          placement_->kept_with_producer(), example.key(), boost::core::demangle(example.result_type().type->name()));
    }
    sent_to_.assign(static_cast<std::size_t>(ranks_), 0);
    batches_.assign(static_cast<std::size_t>(ranks_), std::string());
    received_from_.assign(static_cast<std::size_t>(ranks_), 0);
    return placement_->uses();
  }

  void execute(Run& run) override {
    if (ranks_ == 1) {
      // One rank: exactly the threads executor, outputs included.
      ThreadsExecutor(options_.workers).execute(run);
      return;
    }
    run_ = &run;
    // The workers get every core, the calling thread none: it mostly waits for messages.
    allow_worker_threads(workers_);
    const auto arena = cached_arena(workers_, 0);
    std::optional<Dispatcher<SendResult>> dispatcher;
    arena->execute([&] { dispatcher.emplace(run, workers_, placement_->local(), SendResult{this}); });
    dispatcher->start();
    exchange(*dispatcher);
    if (run.cancelled() || peer_failed_) {
      run.cancel();
      dispatcher->cancel();
    }
    dispatcher->wait();
    outbox_.clear();  // results queued after a failure, never sent
    agree_and_finish(run);
    log_summary(run);
  }

  int concurrency() const noexcept override { return workers_; }

  // Called by workers (SendResult).
  bool send_result(std::uint32_t task) {
    const auto destinations = placement_->destinations(task);
    if (destinations.empty()) return true;
    Slot& slot = run_->result(task);
    if (!slot.has_value()) return true;  // skipped: the run was cancelled meanwhile
    try {
      Outgoing out{task, std::string(header_size, '\0')};
      run_->plan().node(task).result_type().save(slot, out.frame);
      const ResultHeader header{task, 0, out.frame.size() - header_size};
      std::memcpy(out.frame.data(), &header, header_size);
      if (placement_->uses()[task] == 0) slot.reset();  // no reader here: only the copies in flight remain
      outbox_.push(std::move(out));
      return true;
    } catch (...) {
      run_->fail(task, std::current_exception());
      return false;
    }
  }

 private:
  // --- While the tasks run -----------------------------------------------------------------------------

  void exchange(Dispatcher<SendResult>& dispatcher) {
    IdlePoll idle;
    for (;;) {
      bool progress = post_sends();
      progress |= receive_available(&dispatcher);
      complete_sends();
      if (run_->cancelled() || peer_failed_) break;
      if (received_ == placement_->receives() && posted_ == placement_->senders()) return;
      if (progress) {
        idle.reset();
      } else {
        idle.pause();
      }
    }
    // A task failed here (tell every rank, so that none waits for a result that will not come) or on
    // another rank (which told everyone).
    if (run_->failed()) {
      for (int rank = 0; rank < ranks_; ++rank) {
        if (rank == me_) continue;
        post(rank, failure_tag, nullptr, 0);
      }
    }
  }

  // Small results for the same rank share a message (a wide graph would otherwise cost one message,
  // about a microsecond, per task); a result larger than a batch goes alone, in pieces if it must.
  bool post_sends() {
    bool progress = false;
    const std::size_t batch_limit = std::min(batch_bytes, max_message_bytes());
    Outgoing out;
    while (outbox_.try_pop(out)) {
      progress = true;
      ++posted_;
      if (run_->cancelled()) continue;
      if (out.frame.size() > batch_limit) {
        post_alone(out);
        continue;
      }
      for (const int rank : placement_->destinations(out.task)) {
        std::string& batch = batches_[static_cast<std::size_t>(rank)];
        if (batch.size() + out.frame.size() > batch_limit) flush(rank);
        batch += out.frame;
      }
    }
    for (int rank = 0; rank < ranks_; ++rank)
      if (!batches_[static_cast<std::size_t>(rank)].empty()) flush(rank);
    return progress;
  }

  void flush(int rank) {
    auto batch = std::make_shared<const std::string>(std::move(batches_[static_cast<std::size_t>(rank)]));
    batches_[static_cast<std::size_t>(rank)].clear();
    post(rank, result_tag, batch, batch->size());
  }

  // The first piece starts with the header; the pieces that follow go with their own tag, which the
  // receiver reads right after the first.
  void post_alone(Outgoing& out) {
    auto frame = std::make_shared<const std::string>(std::move(out.frame));
    const std::size_t piece = max_message_bytes();
    for (const int rank : placement_->destinations(out.task)) {
      post(rank, result_tag, frame, std::min(frame->size(), piece));
      for (std::size_t at = piece; at < frame->size(); at += piece)
        post(rank, piece_tag, frame, std::min(frame->size() - at, piece), at);
    }
  }

  void post(int rank, int tag, std::shared_ptr<const std::string> buffer, std::size_t bytes, std::size_t at = 0) {
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Isend(buffer ? buffer->data() + at : nullptr, as_count(bytes), MPI_BYTE, rank, tag, comm_, &request);
    requests_.push_back(request);
    buffers_.push_back(std::move(buffer));
    ++sent_to_[static_cast<std::size_t>(rank)];
  }

  void complete_sends() {
    if (requests_.empty()) return;
    int done = 0;
    indices_.resize(requests_.size());
    MPI_Testsome(static_cast<int>(requests_.size()), requests_.data(), &done, indices_.data(), MPI_STATUSES_IGNORE);
    if (done <= 0) return;  // 0, or MPI_UNDEFINED when no request is active
    std::size_t kept = 0;
    for (std::size_t k = 0; k < requests_.size(); ++k) {
      if (requests_[k] == MPI_REQUEST_NULL) continue;
      requests_[kept] = requests_[k];
      buffers_[kept] = std::move(buffers_[k]);
      ++kept;
    }
    requests_.resize(kept);
    buffers_.resize(kept);
  }

  // Receives every message that has arrived. Results go to the dispatcher while it runs (`dispatcher`
  // non-null and the run not cancelled); otherwise they are only counted and dropped.
  bool receive_available(Dispatcher<SendResult>* dispatcher) {
    // Only the tags of this phase: a rank that has already seen the end of the agreement may be sending
    // compute_at's outputs (outputs_tag) while this one still polls. (A result's pieces are received
    // right after its first message.)
    bool progress = false;
    for (const int tag : {result_tag, failure_tag}) {
      for (;;) {
        int arrived = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, tag, comm_, &arrived, &status);
        if (arrived == 0) break;
        progress = true;
        receive(status, dispatcher);
      }
    }
    return progress;
  }

  void receive(const MPI_Status& status, Dispatcher<SendResult>* dispatcher) {
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    const int source = status.MPI_SOURCE;
    std::string frame(static_cast<std::size_t>(count), '\0');
    MPI_Recv(frame.data(), count, MPI_BYTE, source, status.MPI_TAG, comm_, MPI_STATUS_IGNORE);
    ++received_from_[static_cast<std::size_t>(source)];
    if (status.MPI_TAG == failure_tag) {
      peer_failed_ = true;
      return;
    }
    // One result in pieces, or one or more whole results.
    for (std::size_t at = 0; at + header_size <= frame.size();) {
      ResultHeader header{};
      std::memcpy(&header, frame.data() + at, header_size);
      at += header_size;
      std::string_view bytes(frame.data() + at, frame.size() - at);
      std::string value;
      if (header.bytes > bytes.size()) {
        receive_pieces(source, header, bytes, value);
        bytes = value;
      } else {
        bytes = bytes.substr(0, header.bytes);
      }
      at += bytes.size();
      ++received_;
      if (dispatcher != nullptr && !run_->cancelled()) accept(header.task, bytes, *dispatcher);
    }
  }

  // The rest of a result too large for one message, already on its way from `source`.
  void receive_pieces(int source, const ResultHeader& header, std::string_view first, std::string& value) {
    value.resize(header.bytes);
    std::memcpy(value.data(), first.data(), first.size());
    for (std::size_t at = first.size(); at < header.bytes;) {
      const std::size_t piece = std::min<std::size_t>(header.bytes - at, max_message_bytes());
      MPI_Recv(value.data() + at, as_count(piece), MPI_BYTE, source, piece_tag, comm_, MPI_STATUS_IGNORE);
      ++received_from_[static_cast<std::size_t>(source)];
      at += piece;
    }
  }

  // A result from another rank becomes this rank's, as if a local task had produced it.
  void accept(std::uint32_t task, std::string_view bytes, Dispatcher<SendResult>& dispatcher) {
    try {
      run_->plan().node(task).result_type().load(bytes, run_->result(task));
    } catch (...) {
      run_->fail(task, std::current_exception());
      return;
    }
    dispatcher.deliver(task, workers_);  // the calling thread's worker index: one past the arena's
  }

  // --- After the tasks ---------------------------------------------------------------------------------

  // Every rank reports its first failure as (task * ranks + rank), so the smallest report names one
  // failure and the rank that holds its exception.
  void agree_and_finish(Run& run) {
    // Signed: MPICH 4.0 reduces MPI_UINT64_T with MPI_MIN as if it were signed (UINT64_MAX came out
    // smaller than 75), and task * ranks + rank stays far below 2^63.
    const auto none = std::numeric_limits<std::int64_t>::max();
    std::int64_t mine = run.failed() ? std::int64_t{run.failed_task()} * ranks_ + me_ : none;
    std::int64_t first = none;
    MPI_Request agreement = MPI_REQUEST_NULL;
    MPI_Iallreduce(&mine, &first, 1, MPI_INT64_T, MPI_MIN, comm_, &agreement);
    IdlePoll idle;
    for (int done = 0;;) {
      MPI_Test(&agreement, &done, MPI_STATUS_IGNORE);
      if (done != 0) break;
      // Keep both directions moving: a rank still draining may need our sends, and failure notices arrive.
      const bool progress = receive_available(nullptr);
      complete_sends();
      if (progress) {
        idle.reset();
      } else {
        idle.pause();
      }
    }
    if (first == none) {
      MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
      deliver_outputs(run);
      return;
    }
    drain();
    adopt_first_failure(run, static_cast<std::uint32_t>(first / ranks_), static_cast<int>(first % ranks_));
  }

  // After a failure some messages may still be on their way; every rank says how many it sent to each
  // other one, and receives (and drops) the rest of its own.
  void drain() {
    std::vector<std::uint64_t> expected(static_cast<std::size_t>(ranks_), 0);
    MPI_Alltoall(sent_to_.data(), 1, MPI_UINT64_T, expected.data(), 1, MPI_UINT64_T, comm_);
    for (int rank = 0; rank < ranks_; ++rank) {
      while (received_from_[static_cast<std::size_t>(rank)] < expected[static_cast<std::size_t>(rank)]) {
        MPI_Status status;
        MPI_Probe(rank, MPI_ANY_TAG, comm_, &status);
        receive(status, nullptr);
      }
    }
    MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
  }

  void adopt_first_failure(Run& run, std::uint32_t task, int failed_rank) {
    std::string report;
    if (me_ == failed_rank) {
      const auto [type, message] = describe(run.error());
      append_u64(report, task);
      for (const std::string& part : {run.plan().node(task).key(), type, message}) {
        append_u64(report, part.size());
        report += part;
      }
    }
    broadcast(report, failed_rank);
    std::size_t at = 0;
    read_u64(report, at);
    const std::string key(read_bytes(report, at));
    const std::string type(read_bytes(report, at));
    const std::string message(read_bytes(report, at));
    std::exception_ptr error =
        me_ == failed_rank ? run.error() : std::make_exception_ptr(RemoteTaskError(failed_rank, type, message));
    run.adopt_failure(task, key, std::move(error));
  }

  // Broadcasts `bytes` from `root` (any size: the length first, then pieces of at most one message).
  void broadcast(std::string& bytes, int root) {
    std::uint64_t length = bytes.size();
    MPI_Bcast(&length, 1, MPI_UINT64_T, root, comm_);
    bytes.resize(length);
    for (std::size_t at = 0; at < length; at += max_message_bytes())
      MPI_Bcast(bytes.data() + at, as_count(std::min<std::size_t>(length - at, max_message_bytes())), MPI_BYTE, root,
                comm_);
  }

  // --- Outputs -----------------------------------------------------------------------------------------

  // The outputs that travel: each requested task once, in request order, constants excluded (every rank
  // made them).
  std::vector<std::uint32_t> travelling_outputs(const Plan& plan) const {
    std::vector<std::uint32_t> outputs;
    std::vector<std::uint8_t> listed(plan.size(), 0);
    for (const std::uint32_t task : plan.outputs()) {
      if (placement_->owner(task) == RankPlacement::everywhere || listed[task] != 0) continue;
      listed[task] = 1;
      outputs.push_back(task);
    }
    return outputs;
  }

  std::string pack_outputs(Run& run, const std::vector<std::uint32_t>& outputs, int owner) {
    std::string bytes;
    if (owner != me_) return bytes;
    for (const std::uint32_t task : outputs) {
      if (placement_->owner(task) != owner) continue;
      // The length goes before the value, written in place once the value is.
      const std::size_t length_at = bytes.size();
      append_u64(bytes, 0);
      run.plan().node(task).result_type().save(run.result(task), bytes);
      const std::uint64_t length = bytes.size() - length_at - sizeof(std::uint64_t);
      std::memcpy(bytes.data() + length_at, &length, sizeof length);
    }
    return bytes;
  }

  void unpack_outputs(Run& run, const std::vector<std::uint32_t>& outputs, int owner, std::string_view bytes) {
    std::size_t at = 0;
    for (const std::uint32_t task : outputs) {
      if (placement_->owner(task) != owner) continue;
      const std::string_view value = read_bytes(bytes, at);
      Slot& slot = run.result(task);
      if (!slot.has_value()) run.plan().node(task).result_type().load(value, slot);  // else received already
    }
  }

  void deliver_outputs(Run& run) {
    const auto outputs = travelling_outputs(run.plan());
    std::vector<std::uint8_t> owns(static_cast<std::size_t>(ranks_), 0);
    for (const std::uint32_t task : outputs) owns[static_cast<std::size_t>(placement_->owner(task))] = 1;
    for (int owner = 0; owner < ranks_; ++owner) {
      if (owns[static_cast<std::size_t>(owner)] == 0) continue;
      if (output_rank_ == all_ranks) {
        std::string bytes = pack_outputs(run, outputs, owner);
        broadcast(bytes, owner);
        if (owner != me_) unpack_outputs(run, outputs, owner, bytes);
      } else if (owner != output_rank_ && (me_ == owner || me_ == output_rank_)) {
        std::string bytes = pack_outputs(run, outputs, owner);
        transfer(bytes, owner, output_rank_);
        if (me_ == output_rank_) unpack_outputs(run, outputs, owner, bytes);
      }
    }
  }

  // Sends `bytes` from `from` to `to` (the length first, then pieces); the other ranks do nothing.
  void transfer(std::string& bytes, int from, int to) {
    std::uint64_t length = bytes.size();
    if (me_ == from) {
      MPI_Send(&length, 1, MPI_UINT64_T, to, outputs_tag, comm_);
    } else {
      MPI_Recv(&length, 1, MPI_UINT64_T, from, outputs_tag, comm_, MPI_STATUS_IGNORE);
      bytes.resize(length);
    }
    for (std::size_t at = 0; at < length; at += max_message_bytes()) {
      const int count = as_count(std::min<std::size_t>(length - at, max_message_bytes()));
      if (me_ == from) {
        MPI_Send(bytes.data() + at, count, MPI_BYTE, to, outputs_tag, comm_);
      } else {
        MPI_Recv(bytes.data() + at, count, MPI_BYTE, from, outputs_tag, comm_, MPI_STATUS_IGNORE);
      }
    }
  }

  void log_summary(const Run& run) const {
    auto& log = logger();
    if (!log.should_log(spdlog::level::debug)) return;
    std::uint64_t messages = 0;
    for (const std::uint64_t count : sent_to_) messages += count;
    log.debug("mpi rank {}/{}: {} of {} tasks here, {} results sent ({} messages), {} received{}", me_, ranks_,
              placement_->own_tasks(), run.plan().size(), placement_->senders(), messages, received_,
              run.failed() ? " (failed)" : "");
  }

  ComputeOptions options_;
  int output_rank_;
  MPI_Comm comm_;
  int me_;
  int ranks_;
  int workers_;
  std::optional<RankPlacement> placement_;
  Run* run_ = nullptr;

  tbb::concurrent_queue<Outgoing> outbox_;
  std::uint32_t posted_ = 0;    // results taken from the outbox
  std::uint32_t received_ = 0;  // results received
  bool peer_failed_ = false;
  std::vector<MPI_Request> requests_;
  std::vector<std::shared_ptr<const std::string>> buffers_;  // what each request sends, kept until it completes
  std::vector<int> indices_;
  std::vector<std::string> batches_;          // per rank, results waiting to share a message
  std::vector<std::uint64_t> sent_to_;        // messages sent to each rank, any tag
  std::vector<std::uint64_t> received_from_;  // messages received from each rank, any tag
};

bool SendResult::operator()(std::uint32_t task) const { return executor->send_result(task); }

}  // namespace

std::unique_ptr<Executor> make_mpi_executor(const ComputeOptions& options, int output_rank) {
  if (compute_running().exchange(true, std::memory_order_acq_rel))
    throw UsageError(
        "dagflow: Scheduler::mpi: another MPI compute is running in this process; MPI computes are collectives "
        "that every rank calls in the same order, so call them from one thread at a time (and not from inside a "
        "task)");
  try {
    return std::make_unique<MpiExecutor>(options, output_rank);
  } catch (...) {
    compute_running().store(false, std::memory_order_release);
    throw;
  }
}

}  // namespace dagflow::detail
