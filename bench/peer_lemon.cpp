// peer_lemon.cpp: LEMON's NetworkSimplex and CostScaling on our scores, as peer solvers.
//
// Two inputs.  `peer_lemon DIR` reads the dense matrix bench_score_matrix
// wrote (DIR/scores.i32, DIR/capacity.i32, DIR/meta.txt) and runs
// NetworkSimplex on every eligible pair.  `peer_lemon --graph DIR` reads the
// candidate graph `mentormatch match --dump-graph DIR` left (the graph our
// solver solved last, see io/graph_writer.h) and runs NetworkSimplex and
// CostScaling on it, so both sit beside bench_solve_graph on the same edges.
// Either way the lexicographic assignment is solved as a min-cost flow:
// source -> mentee (capacity 1), mentee -> mentor for every pair (capacity
// 1, cost -(BIG + score)), mentor -> sink (the mentor's capacity), plus a
// zero-cost source -> sink bypass so that leaving people unmatched is
// allowed.  BIG exceeds any possible total score, so one more matched pair
// always outweighs any score difference.  Prints one JSON line per solver:
// matched, total_score_units (1e-4), seconds to build the graph and to
// solve, and peak memory.  Built by the bench scripts:
//   g++ -O2 -std=c++14 peer_lemon.cpp -llemon   (Debian: liblemon-dev)
#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
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

/* The pairs of an instance, however read: rows by mentee. */
struct instance {
  size_t n = 0, m = 0;
  std::vector<int32_t> capacity;
  std::vector<uint64_t> off; // n + 1
  std::vector<uint32_t> adj;
  std::vector<int64_t> score;
};

static bool read_dense(const std::string &dir, instance &in) {
  std::ifstream meta(dir + "/meta.txt");
  std::string key;
  while (meta >> key) {
    if (key == "mentees") meta >> in.n;
    else if (key == "mentors") meta >> in.m;
  }
  std::vector<int32_t> scores;
  if (!read_array(dir + "/scores.i32", scores, in.n * in.m) || !read_array(dir + "/capacity.i32", in.capacity, in.m))
    return false;
  in.off.assign(1, 0);
  for (size_t i = 0; i < in.n; i++) {
    for (size_t j = 0; j < in.m; j++) {
      if (scores[i * in.m + j] < 0) continue;
      in.adj.push_back(static_cast<uint32_t>(j));
      in.score.push_back(scores[i * in.m + j]);
    }
    in.off.push_back(in.adj.size());
  }
  return true;
}

static bool read_graph(const std::string &dir, instance &in) {
  std::ifstream meta(dir + "/graph.meta");
  std::string key;
  unsigned long long edges = 0;
  long long big = 0;
  while (meta >> key) {
    if (key == "mentees") meta >> in.n;
    else if (key == "mentors") meta >> in.m;
    else if (key == "edges") meta >> edges;
    else if (key == "big") meta >> big;
  }
  return read_array(dir + "/graph.cap", in.capacity, in.m) && read_array(dir + "/graph.off", in.off, in.n + 1) &&
         read_array(dir + "/graph.adj", in.adj, edges) && read_array(dir + "/graph.score", in.score, edges);
}

typedef lemon::SmartDigraph Graph;

/* The flow network of an instance. */
struct network {
  Graph g;
  Graph::Node source, sink;
  Graph::ArcMap<int> cap{g};
  Graph::ArcMap<long long> cost{g};
  std::vector<Graph::Arc> pair_arc;
};

static void build(const instance &in, network &net) {
  long long total_capacity = 0;
  int64_t max_score = 0;
  for (int32_t c : in.capacity) total_capacity += c;
  for (int64_t s : in.score) max_score = std::max(max_score, s);
  long long k = std::min<long long>(static_cast<long long>(in.n), total_capacity);
  long long big = (static_cast<long long>(max_score) + 1) * std::max(k, 1LL) + 1;
  Graph &g = net.g;
  g.reserveNode(static_cast<int>(in.n + in.m + 2));
  g.reserveArc(static_cast<int>(in.adj.size() + in.n + in.m + 1));
  net.source = g.addNode();
  net.sink = g.addNode();
  std::vector<Graph::Node> mentee(in.n), mentor(in.m);
  for (auto &v : mentee) v = g.addNode();
  for (auto &v : mentor) v = g.addNode();
  net.pair_arc.reserve(in.adj.size());
  for (size_t i = 0; i < in.n; i++) {
    Graph::Arc a = g.addArc(net.source, mentee[i]);
    net.cap[a] = 1;
    net.cost[a] = 0;
    for (uint64_t e = in.off[i]; e < in.off[i + 1]; e++) {
      Graph::Arc b = g.addArc(mentee[i], mentor[in.adj[e]]);
      net.cap[b] = 1;
      net.cost[b] = -(big + in.score[e]);
      net.pair_arc.push_back(b);
    }
  }
  for (size_t j = 0; j < in.m; j++) {
    Graph::Arc a = g.addArc(mentor[j], net.sink);
    net.cap[a] = in.capacity[j];
    net.cost[a] = 0;
  }
  Graph::Arc bypass = g.addArc(net.source, net.sink);
  net.cap[bypass] = static_cast<int>(in.n);
  net.cost[bypass] = 0;
}

/* Runs one LEMON solver on the network and prints its JSON line; false when
 * it did not reach an optimum. */
template <typename Solver>
static bool run(const char *tool, const instance &in, const network &net, double build_s) {
  auto t0 = std::chrono::steady_clock::now();
  Solver solver(net.g);
  solver.upperMap(net.cap).costMap(net.cost).stSupply(net.source, net.sink, static_cast<int>(in.n));
  auto result = solver.run();
  double solve_s = seconds_since(t0);
  if (result != Solver::OPTIMAL) {
    std::fprintf(stderr, "peer_lemon: %s did not reach an optimum (%d)\n", tool, static_cast<int>(result));
    return false;
  }
  long long matched = 0, total = 0;
  for (size_t e = 0; e < net.pair_arc.size(); e++) {
    if (solver.flow(net.pair_arc[e]) > 0) {
      matched++;
      total += in.score[e];
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf("{\"tool\": \"%s\", \"matched\": %lld, \"total_score_units\": %lld, "
              "\"arcs\": %d, \"build_s\": %.6f, \"solve_s\": %.6f, \"max_rss_kb\": %ld}\n",
              tool, matched, total, net.g.arcNum(), build_s, solve_s, ru.ru_maxrss);
  std::fflush(stdout);
  return true;
}

int main(int argc, char **argv) {
  bool sparse = argc == 3 && std::strcmp(argv[1], "--graph") == 0;
  if (argc != 2 && !sparse) {
    std::fprintf(stderr, "usage: peer_lemon DIR | peer_lemon --graph DIR\n");
    return 2;
  }
  std::string dir = argv[argc - 1];
  instance in;
  if (!(sparse ? read_graph(dir, in) : read_dense(dir, in))) {
    std::fprintf(stderr, "peer_lemon: cannot read the %s in %s\n", sparse ? "graph" : "matrix", dir.c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  network net;
  build(in, net);
  double build_s = seconds_since(t0);
  if (!run<lemon::NetworkSimplex<Graph, int, long long>>("lemon_network_simplex", in, net, build_s)) return 1;
  if (sparse && !run<lemon::CostScaling<Graph, int, long long>>("lemon_cost_scaling", in, net, build_s)) return 1;
  return 0;
}
