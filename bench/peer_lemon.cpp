// peer_lemon.cpp: LEMON's NetworkSimplex on our dense score matrix, as a peer solver.
//
// Reads DIR/scores.i32, DIR/capacity.i32 and DIR/meta.txt (written by
// bench_score_matrix) and solves the same lexicographic assignment as
// mentormatch as a min-cost flow: source -> mentee (capacity 1), mentee ->
// mentor for every eligible pair (capacity 1, cost -(BIG + score)), mentor ->
// sink (the mentor's capacity), plus a zero-cost source -> sink bypass so
// that leaving people unmatched is allowed.  BIG exceeds any possible total
// score, so one more matched pair always outweighs any score difference.
// Prints one JSON line: matched, total_score_units (1e-4), seconds to build
// the graph and to solve, and peak memory.  Built by compare_peers.sh:
//   g++ -O2 -std=c++14 peer_lemon.cpp -llemon   (Debian: liblemon-dev)
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

template <typename T>
static bool read_array(const std::string &path, std::vector<T> &out, size_t count) {
  std::ifstream in(path, std::ios::binary);
  out.resize(count);
  return static_cast<bool>(in.read(reinterpret_cast<char *>(out.data()), count * sizeof(T)));
}

static double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: peer_lemon DIR\n");
    return 2;
  }
  std::string dir = argv[1];
  size_t n = 0, m = 0;
  {
    std::ifstream meta(dir + "/meta.txt");
    std::string key;
    while (meta >> key) {
      if (key == "mentees") meta >> n;
      else if (key == "mentors") meta >> m;
    }
  }
  std::vector<int32_t> scores, capacity;
  if (!read_array(dir + "/scores.i32", scores, n * m) || !read_array(dir + "/capacity.i32", capacity, m)) {
    std::fprintf(stderr, "peer_lemon: cannot read the matrix in %s\n", dir.c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  long long total_capacity = 0;
  int32_t max_score = 0;
  size_t n_edges = 0;
  for (int32_t c : capacity) total_capacity += c;
  for (int32_t s : scores) {
    if (s > max_score) max_score = s;
    n_edges += s >= 0;
  }
  long long k = std::min<long long>(static_cast<long long>(n), total_capacity);
  long long big = (static_cast<long long>(max_score) + 1) * std::max(k, 1LL) + 1;

  typedef lemon::SmartDigraph Graph;
  Graph g;
  g.reserveNode(static_cast<int>(n + m + 2));
  g.reserveArc(static_cast<int>(n_edges + n + m + 1));
  Graph::Node source = g.addNode(), sink = g.addNode();
  std::vector<Graph::Node> mentee(n), mentor(m);
  for (auto &v : mentee) v = g.addNode();
  for (auto &v : mentor) v = g.addNode();
  Graph::ArcMap<int> cap(g);
  Graph::ArcMap<long long> cost(g);
  std::vector<Graph::Arc> pair_arc;
  std::vector<int32_t> pair_score;
  pair_arc.reserve(n_edges);
  pair_score.reserve(n_edges);
  for (size_t i = 0; i < n; i++) {
    Graph::Arc a = g.addArc(source, mentee[i]);
    cap[a] = 1;
    cost[a] = 0;
    for (size_t j = 0; j < m; j++) {
      int32_t s = scores[i * m + j];
      if (s < 0) continue;
      Graph::Arc b = g.addArc(mentee[i], mentor[j]);
      cap[b] = 1;
      cost[b] = -(big + s);
      pair_arc.push_back(b);
      pair_score.push_back(s);
    }
  }
  for (size_t j = 0; j < m; j++) {
    Graph::Arc a = g.addArc(mentor[j], sink);
    cap[a] = capacity[j];
    cost[a] = 0;
  }
  Graph::Arc bypass = g.addArc(source, sink);
  cap[bypass] = static_cast<int>(n);
  cost[bypass] = 0;
  std::vector<int32_t>().swap(scores);

  lemon::NetworkSimplex<Graph, int, long long> ns(g);
  ns.upperMap(cap).costMap(cost).stSupply(source, sink, static_cast<int>(n));
  double build_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  auto result = ns.run();
  double solve_s = seconds_since(t0);
  if (result != lemon::NetworkSimplex<Graph, int, long long>::OPTIMAL) {
    std::fprintf(stderr, "peer_lemon: NetworkSimplex did not reach an optimum (%d)\n", static_cast<int>(result));
    return 1;
  }
  long long matched = 0, total = 0;
  for (size_t e = 0; e < pair_arc.size(); e++) {
    if (ns.flow(pair_arc[e]) > 0) {
      matched++;
      total += pair_score[e];
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf("{\"tool\": \"lemon_network_simplex\", \"matched\": %lld, \"total_score_units\": %lld, "
              "\"arcs\": %d, \"build_s\": %.6f, \"solve_s\": %.6f, \"max_rss_kb\": %ld}\n",
              matched, total, g.arcNum(), build_s, solve_s, ru.ru_maxrss);
  return 0;
}
