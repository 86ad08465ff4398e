// Uses the installed package the way a user would: lazy calls, one compute, a DOT picture.
#include <dagflow/dagflow.hpp>

#include <cstdio>
#include <vector>

int main() {
  auto square = dagflow::delayed([](int x) { return x * x; }, "square");
  auto sum = dagflow::delayed(
      [](const std::vector<int>& values) {
        int total = 0;
        for (int v : values) total += v;
        return total;
      },
      "sum");
  std::vector<dagflow::Delayed<int>> squares;
  for (int i = 1; i <= 10; ++i) squares.push_back(square(i));
  const int total = sum(squares).compute();
  const bool has_picture = sum(squares).to_dot().find("square") != std::string::npos;
  std::printf("sum of squares 1..10 = %d\n", total);
  return total == 385 && has_picture ? 0 : 1;
}
