/* generator.c: makes the synthetic workforce rows of `mentormatch generate`.
 *
 * The tables below describe a plausible global company: offices with their
 * IANA zones, headcount weights and local languages; departments; a skill
 * vocabulary in categories with Zipf-like popularity; mentoring goals; and
 * weekly availability templates that each office tends to share, so the
 * engine's class-based scoring sees the structure a real roster has without
 * everyone looking the same.  Every draw comes from xoshiro256** streams
 * keyed by (seed, side, index) and every weight is an integer, so the output
 * is the same bytes on every platform and in every generation order.
 */
#include "generator.h"

#include "csv_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: xoshiro256** seeded through splitmix64 --------------------- */

typedef struct {
  uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Streams of one person: the core (office, department, seniority) that
 * other people's rows refer to, the details of the row itself, and the
 * week of a calendar shape (keyed by the person, so someone listed in both
 * files has one week). */
enum { STREAM_CORE = 0, STREAM_ROW = 1 };

/* The week stream lives under a seed of its own: the (side, index, stream)
 * key has room for two streams only, and the first two must keep their
 * bytes. */
#define WEEK_SEED_SALT 0x6e6172726f77u

static void rng_seed(rng *r, uint64_t seed, mm_side side, unsigned stream, uint64_t index) {
  uint64_t x = seed;
  uint64_t key = splitmix64(&x) ^ (index << 2) ^ ((uint64_t)side << 1) ^ stream;
  for (int k = 0; k < 4; k++) r->s[k] = splitmix64(&key);
}

/* Uniform in [0, n), n < 2^32. */
static uint32_t rng_below(rng *r, uint32_t n) {
  return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability permille / 1000. */
static int rng_chance(rng *r, unsigned permille) { return rng_below(r, 1000) < permille; }

/* Index drawn with weights given as a cumulative table (cum[k] = w0 + .. + wk). */
static size_t pick_cum(rng *r, const uint32_t *cum, size_t n) {
  uint32_t x = rng_below(r, cum[n - 1]);
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cum[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* Index drawn with small integer weights (tables of a few entries). */
static size_t pick_weight(rng *r, const uint8_t *w, size_t n) {
  unsigned total = 0;
  for (size_t k = 0; k < n; k++) total += w[k];
  unsigned x = rng_below(r, total);
  for (size_t k = 0; k < n; k++) {
    if (x < w[k]) return k;
    x -= w[k];
  }
  return n - 1;
}

/* ---- the company --------------------------------------------------------- */

/* Weekly availability in local time: windows of a day set and a time range. */
typedef struct {
  const char *days;
  int16_t from, to; /* minutes after midnight, multiples of 15 */
} window;

#define MAX_WINDOWS 4

typedef struct {
  window w[MAX_WINDOWS];
  uint8_t n;
  uint8_t weight; /* popularity outside any office's own habits */
} schedule_template;

#define HM(h, m) ((int16_t)((h) * 60 + (m)))

static const schedule_template templates[] = {
    /* 0 */ {{{"Mon-Fri", HM(9, 0), HM(17, 0)}}, 1, 30},
    /* 1 */ {{{"Mon-Fri", HM(8, 0), HM(16, 0)}}, 1, 12},
    /* 2 */ {{{"Mon-Fri", HM(10, 0), HM(18, 0)}}, 1, 12},
    /* 3 */ {{{"Mon-Thu", HM(8, 0), HM(12, 0)}, {"Fri", HM(13, 0), HM(16, 0)}}, 2, 6},
    /* 4 */ {{{"Tue,Thu", HM(14, 0), HM(18, 30)}}, 1, 6},
    /* 5 */ {{{"Mon,Wed,Fri", HM(9, 0), HM(11, 0)}}, 1, 6},
    /* 6 */ {{{"Mon-Fri", HM(7, 0), HM(9, 30)}}, 1, 5},
    /* 7 */ {{{"Mon-Fri", HM(17, 30), HM(20, 0)}}, 1, 4},
    /* 8 */ {{{"Mon-Thu", HM(19, 0), HM(22, 0)}}, 1, 3},
    /* 9 */ {{{"Mon-Fri", HM(12, 0), HM(13, 30)}}, 1, 5},
    /* 10 */ {{{"Sat", HM(10, 0), HM(13, 0)}}, 1, 2},
    /* 11 */ {{{"Sat-Sun", HM(9, 0), HM(12, 0)}}, 1, 2},
    /* 12 */ {{{"Mon-Fri", HM(9, 0), HM(12, 0)}, {"Mon-Fri", HM(13, 0), HM(17, 0)}}, 2, 8},
    /* 13 */ {{{"Mon,Tue", HM(13, 0), HM(17, 0)}, {"Thu", HM(9, 0), HM(12, 0)}}, 2, 4},
    /* 14 */ {{{"Wed", HM(15, 0), HM(18, 0)}, {"Sat", HM(10, 0), HM(12, 0)}}, 2, 2},
    /* 15 */ {{{"Mon-Fri", HM(8, 30), HM(10, 0)}, {"Tue,Thu", HM(16, 0), HM(18, 0)}}, 2, 4},
    /* 16 */ {{{"Mon-Fri", HM(6, 0), HM(8, 0)}}, 1, 2},
    /* 17 */ {{{"Tue-Sat", HM(11, 0), HM(19, 0)}}, 1, 2},
    /* 18 */ {{{"Sun-Thu", HM(9, 0), HM(17, 0)}}, 1, 1},
    /* 19 */ {{{"Mon-Fri", HM(14, 0), HM(22, 0)}}, 1, 2},
    /* 20 */ {{{"Mon,Wed", HM(18, 0), HM(21, 0)}, {"Sat", HM(9, 0), HM(11, 30)}}, 2, 2},
    /* 21 */ {{{"Mon-Fri", HM(9, 0), HM(17, 0)}, {"Sat", HM(10, 0), HM(12, 0)}}, 2, 3},
    /* 22 */ {{{"Thu,Fri", HM(10, 0), HM(15, 0)}}, 1, 3},
    /* 23 */ {{{"Mon-Fri", HM(11, 0), HM(15, 0)}}, 1, 4},
    /* 24 */ {{{"Mon-Fri", HM(16, 0), HM(19, 0)}}, 1, 3},
    /* 25 */ {{{"Tue,Wed,Thu", HM(7, 30), HM(9, 0)}}, 1, 3},
    /* 26 */ {{{"Mon-Fri", HM(20, 0), HM(23, 0)}}, 1, 2},
    /* 27 */ {{{"Mon-Fri", HM(8, 0), HM(17, 0)}}, 1, 8},
    /* 28 */ {{{"Mon-Fri", HM(9, 0), HM(18, 0)}}, 1, 8},
    /* 29 */ {{{"Mon-Fri", HM(9, 30), HM(12, 30)}, {"Mon-Thu", HM(14, 0), HM(17, 30)}}, 2, 4},
    /* 30 */ {{{"Weekdays", HM(10, 0), HM(16, 0)}}, 1, 2},
    /* 31 */ {{{"Mon-Fri", HM(13, 0), HM(21, 0)}}, 1, 2},
    /* 32 */ {{{"Sun-Fri", HM(10, 0), HM(17, 0)}}, 1, 0},
    /* 33 */ {{{"Mon-Fri", HM(7, 30), HM(11, 0)}, {"Wed", HM(18, 0), HM(20, 0)}}, 2, 2},
};
#define N_TEMPLATES (sizeof templates / sizeof *templates)

/* Regions whose name lists offices draw from. */
enum { R_ANGLO, R_WEST_EU, R_EAST_EU, R_LATAM, R_SOUTH_ASIA, R_EAST_ASIA, R_SE_ASIA, R_AFRICA, R_MENA, N_REGIONS };

typedef struct {
  const char *city, *zone, *country;
  const char *language; /* spoken besides English by many; NULL for none */
  uint16_t weight;      /* relative headcount */
  uint8_t region;
  uint8_t home[3];      /* availability templates this office favours, most used first */
} office;

static const office offices[] = {
    {"London", "Europe/London", "United Kingdom", NULL, 100, R_ANGLO, {0, 12, 3}},
    {"New York", "America/New_York", "United States", NULL, 90, R_ANGLO, {0, 2, 7}},
    {"Bengaluru", "Asia/Kolkata", "India", "Hindi", 80, R_SOUTH_ASIA, {28, 2, 19}},
    {"San Francisco", "America/Los_Angeles", "United States", NULL, 60, R_ANGLO, {2, 23, 24}},
    {"Berlin", "Europe/Berlin", "Germany", "German", 50, R_WEST_EU, {1, 27, 3}},
    {"Singapore", "Asia/Singapore", "Singapore", "Mandarin", 40, R_SE_ASIA, {28, 0, 9}},
    {"Toronto", "America/Toronto", "Canada", NULL, 35, R_ANGLO, {0, 12, 5}},
    {"Chicago", "America/Chicago", "United States", NULL, 32, R_ANGLO, {27, 0, 6}},
    {"São Paulo", "America/Sao_Paulo", "Brazil", "Portuguese", 30, R_LATAM, {0, 28, 7}},
    {"Tokyo", "Asia/Tokyo", "Japan", "Japanese", 28, R_EAST_ASIA, {28, 2, 8}},
    {"Sydney", "Australia/Sydney", "Australia", NULL, 26, R_ANGLO, {1, 0, 6}},
    {"Dublin", "Europe/Dublin", "Ireland", NULL, 24, R_ANGLO, {0, 3, 12}},
    {"Paris", "Europe/Paris", "France", "French", 22, R_WEST_EU, {28, 29, 4}},
    {"Amsterdam", "Europe/Amsterdam", "Netherlands", "Dutch", 20, R_WEST_EU, {1, 0, 22}},
    {"Austin", "America/Chicago", "United States", NULL, 19, R_ANGLO, {0, 23, 4}},
    {"Seattle", "America/Los_Angeles", "United States", NULL, 18, R_ANGLO, {2, 23, 26}},
    {"Pune", "Asia/Kolkata", "India", "Marathi", 17, R_SOUTH_ASIA, {28, 19, 2}},
    {"Warsaw", "Europe/Warsaw", "Poland", "Polish", 16, R_EAST_EU, {1, 27, 6}},
    {"Madrid", "Europe/Madrid", "Spain", "Spanish", 15, R_WEST_EU, {29, 0, 24}},
    {"Mexico City", "America/Mexico_City", "Mexico", "Spanish", 14, R_LATAM, {28, 0, 7}},
    {"Lagos", "Africa/Lagos", "Nigeria", "Yoruba", 13, R_AFRICA, {1, 0, 21}},
    {"Johannesburg", "Africa/Johannesburg", "South Africa", "Zulu", 12, R_AFRICA, {1, 27, 9}},
    {"Tel Aviv", "Asia/Jerusalem", "Israel", "Hebrew", 12, R_MENA, {18, 2, 8}},
    {"Dubai", "Asia/Dubai", "United Arab Emirates", "Arabic", 11, R_MENA, {28, 18, 0}},
    {"Seoul", "Asia/Seoul", "South Korea", "Korean", 11, R_EAST_ASIA, {28, 2, 26}},
    {"Shanghai", "Asia/Shanghai", "China", "Mandarin", 10, R_EAST_ASIA, {28, 2, 19}},
    {"Melbourne", "Australia/Melbourne", "Australia", NULL, 10, R_ANGLO, {1, 0, 5}},
    {"Buenos Aires", "America/Argentina/Buenos_Aires", "Argentina", "Spanish", 9, R_LATAM, {2, 28, 24}},
    {"Stockholm", "Europe/Stockholm", "Sweden", "Swedish", 9, R_WEST_EU, {1, 27, 16}},
    {"Zurich", "Europe/Zurich", "Switzerland", "German", 8, R_WEST_EU, {1, 27, 3}},
    {"Istanbul", "Europe/Istanbul", "Turkey", "Turkish", 8, R_EAST_EU, {28, 0, 24}},
    {"Nairobi", "Africa/Nairobi", "Kenya", "Swahili", 8, R_AFRICA, {1, 0, 9}},
    {"Manila", "Asia/Manila", "Philippines", "Filipino", 8, R_SE_ASIA, {19, 31, 0}},
    {"Bogotá", "America/Bogota", "Colombia", "Spanish", 7, R_LATAM, {27, 1, 7}},
    {"Adelaide", "Australia/Adelaide", "Australia", NULL, 6, R_ANGLO, {1, 0, 25}},
    {"Kathmandu", "Asia/Kathmandu", "Nepal", "Nepali", 6, R_SOUTH_ASIA, {32, 2, 23}},
    {"Cairo", "Africa/Cairo", "Egypt", "Arabic", 6, R_MENA, {18, 0, 1}},
    {"Jakarta", "Asia/Jakarta", "Indonesia", "Indonesian", 5, R_SE_ASIA, {1, 28, 9}},
    {"Lisbon", "Europe/Lisbon", "Portugal", "Portuguese", 5, R_WEST_EU, {0, 29, 4}},
    {"Ho Chi Minh City", "Asia/Ho_Chi_Minh", "Vietnam", "Vietnamese", 5, R_SE_ASIA, {1, 28, 31}},
    {"Auckland", "Pacific/Auckland", "New Zealand", NULL, 4, R_ANGLO, {1, 0, 25}},
    {"St. John's", "America/St_Johns", "Canada", NULL, 4, R_ANGLO, {0, 1, 5}},
    {"Denver", "America/Denver", "United States", NULL, 4, R_ANGLO, {1, 0, 16}},
    {"Santiago", "America/Santiago", "Chile", "Spanish", 4, R_LATAM, {0, 28, 29}},
    {"Casablanca", "Africa/Casablanca", "Morocco", "Arabic", 3, R_MENA, {0, 18, 9}},
};
#define N_OFFICES (sizeof offices / sizeof *offices)

/* Share of each office's people who favour its templates, by rank. */
static const uint8_t home_share[3] = {50, 30, 20};

enum { CAT_ENG, CAT_DATA, CAT_DESIGN, CAT_PRODUCT, CAT_BUSINESS, CAT_OPS, CAT_PEOPLE, N_CATS };

typedef struct {
  const char *name;
  uint8_t weight;
  uint8_t category; /* skills mostly come from this category */
} department;

static const department departments[] = {
    {"Engineering", 30, CAT_ENG},      {"Product", 8, CAT_PRODUCT},
    {"Design", 5, CAT_DESIGN},         {"Data Science", 8, CAT_DATA},
    {"Sales", 12, CAT_BUSINESS},       {"Marketing", 7, CAT_BUSINESS},
    {"Customer Success", 8, CAT_BUSINESS}, {"Finance", 5, CAT_OPS},
    {"People", 4, CAT_PEOPLE},         {"Legal", 2, CAT_OPS},
    {"Operations", 7, CAT_OPS},        {"Security", 4, CAT_ENG},
};
#define N_DEPTS (sizeof departments / sizeof *departments)

/* Skills per category, most popular first. */
static const char *const skills_eng[] = {
    "python", "sql", "javascript", "java", "system design", "typescript", "react", "aws",
    "kubernetes", "docker", "go", "git", "ci/cd", "api design", "testing", "linux", "c++",
    "node.js", "microservices", "distributed systems", "postgresql", "terraform", "code review",
    "rust", "kotlin", "c#", "gcp", "azure", "observability", "site reliability", "graphql",
    "frontend", "backend", "devops", "android", "ios", "swift", "kafka", "redis",
    "test automation", "performance tuning", "refactoring", "technical writing", "scala", "ruby",
    "php", "c", "networking", "security engineering", "accessibility", "web performance",
    "rest apis", "databases", "embedded systems", "cryptography", "compilers", "incident response"};
static const char *const skills_data[] = {
    "statistics", "machine learning", "data visualization", "data engineering", "pandas",
    "a/b testing", "experiment design", "spark", "deep learning", "tableau", "airflow", "dbt",
    "power bi", "forecasting", "nlp", "mlops", "r", "computer vision", "causal inference"};
static const char *const skills_design[] = {
    "figma", "ux research", "interaction design", "prototyping", "design systems",
    "visual design", "usability testing", "information architecture", "content design",
    "service design", "motion design", "illustration"};
static const char *const skills_product[] = {
    "product strategy", "roadmapping", "agile", "prioritization", "product discovery",
    "user interviews", "scrum", "okrs", "product analytics", "go-to-market", "pricing", "kanban"};
static const char *const skills_business[] = {
    "negotiation", "account management", "salesforce", "content marketing", "seo", "crm",
    "customer onboarding", "sales prospecting", "copywriting", "brand strategy",
    "customer retention", "marketing analytics", "social media", "partnerships",
    "public relations", "solution selling", "demand generation", "market research",
    "event planning", "community building"};
static const char *const skills_ops[] = {
    "excel", "project management", "budgeting", "financial modelling", "process improvement",
    "accounting", "compliance", "risk management", "fp&a", "vendor management", "procurement",
    "contract law", "gdpr", "supply chain", "audit", "tax"};
static const char *const skills_people[] = {
    "leadership", "public speaking", "people management", "coaching", "stakeholder management",
    "presentation skills", "hiring", "feedback", "strategic thinking", "interviewing",
    "conflict resolution", "time management", "facilitation", "storytelling",
    "change management", "delegation", "cross-cultural communication", "emotional intelligence",
    "mentoring"};

typedef struct {
  const char *const *names;
  uint8_t n;
  uint8_t weight; /* share of draws that are not tied to the department */
} category;

#define CATEGORY(list, w) {list, (uint8_t)(sizeof list / sizeof *list), w}
static const category categories[N_CATS] = {
    CATEGORY(skills_eng, 30),     CATEGORY(skills_data, 12), CATEGORY(skills_design, 8),
    CATEGORY(skills_product, 10), CATEGORY(skills_business, 18), CATEGORY(skills_ops, 10),
    CATEGORY(skills_people, 12)};
#define MAX_CATEGORY 64

static const char *const goals[] = {
    "career growth", "leadership skills", "promotion", "move into management",
    "technical depth", "public speaking", "build confidence", "networking",
    "system design", "work-life balance", "become a tech lead", "stakeholder management",
    "navigate the organisation", "giving feedback", "strategic thinking", "product sense",
    "career planning", "presenting to executives", "difficult conversations", "negotiation",
    "data literacy", "writing skills", "managing up", "first 90 days", "building a team",
    "hiring well", "time management", "staff engineer path", "switch careers",
    "cross-team collaboration", "imposter syndrome", "resilience", "mentoring others",
    "learn a new domain", "build a personal brand", "international move", "returning from leave",
    "entrepreneurship", "diversity and inclusion", "certification prep"};
#define N_GOALS (sizeof goals / sizeof *goals)

static const char *const first_names[N_REGIONS][12] = {
    [R_ANGLO] = {"Olivia", "James", "Emily", "Michael", "Sarah", "Daniel", "Grace", "Liam",
                 "Chloe", "Ethan", "Hannah", "Noah"},
    [R_WEST_EU] = {"Lukas", "Sophie", "Matteo", "Léa", "Jan", "Emma", "Björn", "Inès",
                   "Pablo", "Lucía", "Sven", "Giulia"},
    [R_EAST_EU] = {"Łukasz", "Zofia", "Mehmet", "Elif", "Piotr", "Anna", "Ayşe", "Tomasz",
                   "Katarzyna", "Emre", "Magdalena", "Can"},
    [R_LATAM] = {"João", "Camila", "Mateo", "Valentina", "Santiago", "Isabela", "Diego",
                 "Mariana", "Gabriel", "Sofía", "Rafael", "Fernanda"},
    [R_SOUTH_ASIA] = {"Priya", "Arjun", "Ananya", "Rahul", "Sita", "Vikram", "Aarav",
                      "Deepika", "Rohan", "Kavya", "Bikash", "Sunita"},
    [R_EAST_ASIA] = {"Yuki", "Haruto", "Sakura", "Min-jun", "Ji-woo", "Wei", "Mei", "Hiroshi",
                     "Seo-yeon", "Jun", "Xiaoling", "Kenji"},
    [R_SE_ASIA] = {"Siti", "Andika", "Maria", "Jose", "Linh", "Minh", "Putri", "Rizal",
                   "Mei Ling", "Wei Jie", "Angelica", "Thanh"},
    [R_AFRICA] = {"Chinedu", "Amara", "Thabo", "Naledi", "Kwame", "Wanjiru", "Oluwaseun",
                  "Zanele", "Tunde", "Achieng", "Sipho", "Ngozi"},
    [R_MENA] = {"Omar", "Layla", "Yousef", "Fatima", "Noa", "Ahmed", "Yael", "Karim", "Mariam",
                "Itai", "Salma", "Hassan"},
};

static const char *const last_names[N_REGIONS][12] = {
    [R_ANGLO] = {"Smith", "Johnson", "Williams", "Brown", "O'Brien", "Taylor", "Wilson",
                 "Murphy", "Clarke", "Thompson", "Walker", "Robinson"},
    [R_WEST_EU] = {"Müller", "Schmidt", "Rossi", "Dubois", "de Vries", "García", "Andersson",
                   "Martin", "Bianchi", "Jansen", "Fernández", "Lindqvist"},
    [R_EAST_EU] = {"Kowalski", "Nowak", "Yılmaz", "Demir", "Wiśniewska", "Kaya", "Zieliński",
                   "Şahin", "Lewandowski", "Çelik", "Wójcik", "Aydın"},
    [R_LATAM] = {"Silva", "Santos", "González", "Rodríguez", "Oliveira", "Pérez", "Souza",
                 "López", "Martínez", "Costa", "Ramírez", "Torres"},
    [R_SOUTH_ASIA] = {"Sharma", "Patel", "Iyer", "Reddy", "Shrestha", "Gupta", "Nair",
                      "Thapa", "Kulkarni", "Singh", "Rao", "Joshi"},
    [R_EAST_ASIA] = {"Sato", "Suzuki", "Takahashi", "Kim", "Lee", "Park", "Wang", "Li",
                     "Zhang", "Tanaka", "Chen", "Choi"},
    [R_SE_ASIA] = {"Tan", "Lim", "Santos", "Reyes", "Nguyen", "Tran", "Wijaya", "Pratama",
                   "Cruz", "Ng", "Le", "Halim"},
    [R_AFRICA] = {"Okafor", "Adeyemi", "Nkosi", "Dlamini", "Mensah", "Kamau", "Odhiambo",
                  "Mokoena", "Eze", "Otieno", "Ndlovu", "Balogun"},
    [R_MENA] = {"Haddad", "Hassan", "Cohen", "Levi", "Mansour", "Khalil", "Mizrahi", "Farouk",
                "Nasser", "Friedman", "Saleh", "El Amrani"},
};

/* Second languages some people add wherever they work. */
static const char *const extra_languages[] = {"Spanish", "French", "German", "Mandarin",
                                              "Hindi", "Portuguese", "Arabic", "Japanese"};
#define N_EXTRA_LANGUAGES (sizeof extra_languages / sizeof *extra_languages)

/* Distributions by value, starting at the value named in the comment. */
static const uint8_t mentor_seniority_w[7] = {6, 12, 18, 20, 18, 14, 8};  /* 3..9 */
static const uint8_t mentee_seniority_w[6] = {12, 22, 24, 20, 14, 8};     /* 1..6 */
static const uint8_t mentor_level_w[3] = {25, 40, 35};                    /* 3..5 */
static const uint8_t mentee_level_w[4] = {20, 35, 30, 15};                /* 2..5 */
static const uint8_t mentor_skills_w[6] = {15, 22, 24, 18, 12, 9};        /* 3..8 */
static const uint8_t mentee_skills_w[4] = {25, 35, 25, 15};               /* 2..5 */
static const uint8_t mentor_goals_w[4] = {25, 35, 25, 15};                /* 2..5 */
static const uint8_t mentee_goals_w[3] = {30, 45, 25};                    /* 1..3 */
static const uint8_t capacity_w[5] = {35, 30, 20, 10, 5};                 /* 1..5 */

/* Narrow weeks: per mille of windows on two weekdays, and window lengths
 * (60 minutes plus up to NARROW_LENGTHS - 1 quarter hours). */
#define NARROW_TWO_DAYS 500
#define NARROW_LENGTHS 9
/* Per mille of people with a narrow week; the others keep office hours. */
#define NARROW_SHARE 300

/* Probabilities, per mille. */
enum {
  P_REMOTE = 70,            /* location "Remote" */
  P_HOME_TEMPLATE = 650,    /* an office person keeps one of the office's templates */
  P_VARIATION = 150,        /* the template is shifted or stretched a little */
  P_LOCAL_LANGUAGE = 700,   /* lists the office's language besides English */
  P_EXTRA_LANGUAGE = 60,    /* adds one more language */
  P_NO_LANGUAGES = 20,      /* leaves languages empty */
  P_ONLY_LOCAL = 15,        /* mentee: lists a non-English language only */
  P_MENTEE_MANAGER = 300,   /* office mentee names a mentor of the office and department */
  P_MENTOR_MANAGER = 400,   /* office mentor names a more senior mentor there */
  P_FOREIGN_NAME = 300,     /* name drawn from another region */
  P_DEPT_SKILL = 550,       /* a skill from the department's category */
  P_PEOPLE_SKILL = 200      /* a skill from the people category (else any category) */
};

/* ---- generator state ------------------------------------------------------ */

/* What other rows need to know about a person. */
typedef struct {
  uint8_t office; /* index into offices (the zone's office for remote people) */
  uint8_t remote;
  uint8_t dept;
  uint8_t seniority;
} core;

struct io_generator {
  size_t n[2]; /* by mm_side */
  uint64_t seed;
  io_generator_shape shape;
  uint32_t office_cum[N_OFFICES];
  uint32_t dept_cum[N_DEPTS];
  uint32_t template_cum[N_TEMPLATES];
  uint32_t category_cum[N_CATS];
  uint32_t zipf_cum[MAX_CATEGORY];
  uint32_t goal_cum[N_GOALS];
  core *mentor;            /* per mentor */
  int narrow;              /* calendar shape: short windows, capacity 2..4 */
  size_t both;             /* mentees 0..both-1 are mentors 0..both-1 too */
  int week_stream;         /* availability from the week stream (a calendar shape is set) */
  uint32_t *group_off;     /* CSR over (office, department) of office mentors */
  uint32_t *group_mentor;
};

static core draw_core(const io_generator *g, mm_side side, uint64_t index) {
  rng r;
  rng_seed(&r, g->seed, side, STREAM_CORE, index);
  core c;
  c.remote = (uint8_t)rng_chance(&r, P_REMOTE);
  c.office = (uint8_t)pick_cum(&r, g->office_cum, N_OFFICES);
  c.dept = (uint8_t)pick_cum(&r, g->dept_cum, N_DEPTS);
  if (side == MM_MENTOR)
    c.seniority = (uint8_t)(3 + pick_weight(&r, mentor_seniority_w, sizeof mentor_seniority_w));
  else
    c.seniority = (uint8_t)(1 + pick_weight(&r, mentee_seniority_w, sizeof mentee_seniority_w));
  return c;
}

static size_t group_of(const core *c) { return (size_t)c->office * N_DEPTS + c->dept; }

io_generator *io_generator_create(size_t n_mentees, size_t n_mentors, uint64_t seed, mm_error *e) {
  if (n_mentees > IO_GEN_MAX_PEOPLE || n_mentors > IO_GEN_MAX_PEOPLE) {
    mm_error_set(e, NULL, "at most %u people per side", IO_GEN_MAX_PEOPLE);
    return NULL;
  }
  io_generator *g = calloc(1, sizeof *g);
  const size_t n_groups = N_OFFICES * N_DEPTS;
  if (g) {
    g->mentor = malloc((n_mentors ? n_mentors : 1) * sizeof *g->mentor);
    g->group_off = calloc(n_groups + 1, sizeof *g->group_off);
    g->group_mentor = malloc((n_mentors ? n_mentors : 1) * sizeof *g->group_mentor);
  }
  if (!g || !g->mentor || !g->group_off || !g->group_mentor) {
    io_generator_free(g);
    mm_error_set(e, NULL, "out of memory preparing %zu mentors", n_mentors);
    return NULL;
  }
  g->n[MM_MENTEE] = n_mentees;
  g->n[MM_MENTOR] = n_mentors;
  g->seed = seed;
  io_generator_shape_init(&g->shape);
  uint32_t sum = 0;
  for (size_t k = 0; k < N_OFFICES; k++) g->office_cum[k] = sum += offices[k].weight;
  sum = 0;
  for (size_t k = 0; k < N_DEPTS; k++) g->dept_cum[k] = sum += departments[k].weight;
  sum = 0;
  for (size_t k = 0; k < N_TEMPLATES; k++) g->template_cum[k] = sum += templates[k].weight;
  sum = 0;
  for (size_t k = 0; k < N_CATS; k++) g->category_cum[k] = sum += categories[k].weight;
  /* Zipf with exponent 1: the k-th most popular item weighs 1/(k+1). */
  sum = 0;
  for (size_t k = 0; k < MAX_CATEGORY; k++) g->zipf_cum[k] = sum += (uint32_t)(720720 / (k + 1));
  sum = 0;
  for (size_t k = 0; k < N_GOALS; k++) g->goal_cum[k] = sum += (uint32_t)(720720 / (k + 1));

  for (size_t j = 0; j < n_mentors; j++) {
    g->mentor[j] = draw_core(g, MM_MENTOR, j);
    if (!g->mentor[j].remote) g->group_off[group_of(&g->mentor[j]) + 1]++;
  }
  for (size_t k = 0; k < n_groups; k++) g->group_off[k + 1] += g->group_off[k];
  uint32_t *fill = calloc(n_groups, sizeof *fill);
  if (!fill) {
    io_generator_free(g);
    mm_error_set(e, NULL, "out of memory preparing %zu mentors", n_mentors);
    return NULL;
  }
  for (size_t j = 0; j < n_mentors; j++) {
    if (g->mentor[j].remote) continue;
    size_t grp = group_of(&g->mentor[j]);
    g->group_mentor[g->group_off[grp] + fill[grp]++] = (uint32_t)j;
  }
  free(fill);
  return g;
}

void io_generator_free(io_generator *g) {
  if (!g) return;
  free(g->mentor);
  free(g->group_off);
  free(g->group_mentor);
  free(g);
}

mm_status io_generator_set_calendar(io_generator *g, int narrow, double both_share, mm_error *e) {
  if (!(both_share >= 0 && both_share <= 1)) {
    mm_error_set(e, "both", "expected a share from 0 to 1, got %g", both_share);
    return MM_ERR_INVALID;
  }
  size_t both = (size_t)(both_share * (double)g->n[MM_MENTOR] + 0.5);
  g->narrow = narrow != 0;
  g->both = both < g->n[MM_MENTEE] ? both : g->n[MM_MENTEE];
  g->week_stream = g->narrow || g->both > 0;
  return MM_OK;
}

/* ---- one row --------------------------------------------------------------- */

/* A cell being built; long enough for any cell the tables can produce. */
typedef struct {
  char s[512];
  size_t n;
} cell;

static void cell_clear(cell *c) {
  c->n = 0;
  c->s[0] = '\0';
}

static void cell_add(cell *c, const char *text) {
  size_t room = c->n < sizeof c->s - 1 ? sizeof c->s - 1 - c->n : 0;
  size_t len = strnlen(text, room);
  memcpy(c->s + c->n, text, len);
  c->n += len;
  c->s[c->n] = '\0';
}

static void cell_add_uint(cell *c, unsigned long v) {
  char buf[24];
  size_t n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char out[24];
  for (size_t k = 0; k < n; k++) out[k] = buf[n - 1 - k];
  out[n] = '\0';
  cell_add(c, out);
}

static void cell_add_time(cell *c, int minutes) {
  char buf[6] = {(char)('0' + minutes / 600), (char)('0' + minutes / 60 % 10), ':',
                 (char)('0' + minutes % 60 / 10), (char)('0' + minutes % 10), '\0'};
  cell_add(c, buf);
}

/* ---- shapes ---------------------------------------------------------------- */

void io_generator_shape_init(io_generator_shape *s) {
  s->ties = IO_GEN_TIES_LOW;
  s->capacity_permille = 1000;
  s->identical = 0;
}

mm_status io_generator_set_shape(io_generator *g, const io_generator_shape *s, mm_error *e) {
  if (s->capacity_permille == 0 || s->capacity_permille > IO_GEN_MAX_CAPACITY_PERMILLE) {
    mm_error_set(e, NULL, "capacity factor %u/1000 is out of range (0.001 to %u)", s->capacity_permille,
                 IO_GEN_MAX_CAPACITY_PERMILLE / 1000);
    return MM_ERR_INVALID;
  }
  if (s->ties != IO_GEN_TIES_LOW && s->ties != IO_GEN_TIES_HIGH) {
    mm_error_set(e, NULL, "unknown ties setting %d", (int)s->ties);
    return MM_ERR_INVALID;
  }
  g->shape = *s;
  return MM_OK;
}

/* A mentor's capacity, base times the shape's factor, rounded half up and
 * kept within 1..1000 (what the roster reader accepts). */
static long shaped_capacity(const io_generator *g, unsigned base) {
  uint64_t c = ((uint64_t)base * g->shape.capacity_permille + 500) / 1000;
  return c < 1 ? 1 : c > 1000 ? 1000 : (long)c;
}

/* High ties: a skill among the department category's three most popular. */
static const char *draw_popular_skill(rng *r, const core *c) {
  const category *cat = &categories[departments[c->dept].category];
  return cat->names[rng_below(r, cat->n < 3 ? cat->n : 3)];
}

/* High ties: one skill for a mentee, two for a mentor, at fixed levels
 * (a mentor's level always covers a mentee's), so most pairs of one
 * department score the same. */
static void draw_skills_high_ties(rng *r, mm_side side, const core *c, cell *out) {
  const char *first = draw_popular_skill(r, c);
  cell_clear(out);
  cell_add(out, first);
  cell_add(out, side == MM_MENTOR ? ":4" : ":2");
  if (side != MM_MENTOR) return;
  const char *second = draw_popular_skill(r, c);
  if (second == first) return;
  cell_add(out, "; ");
  cell_add(out, second);
  cell_add(out, ":4");
}

/* High ties: one goal for a mentee, two for a mentor, among the three most
 * popular. */
static void draw_goals_high_ties(rng *r, mm_side side, cell *out) {
  uint32_t a = rng_below(r, 3);
  cell_clear(out);
  cell_add(out, goals[a]);
  if (side != MM_MENTOR) return;
  cell_add(out, "; ");
  cell_add(out, goals[(a + 1 + rng_below(r, 2)) % 3]);
}

static const char *const identical_header[] = {"id", "timezone", "availability", "capacity"};

/* Identical people: the three required columns (and a capacity only when
 * the factor makes it other than 1). */
static size_t identical_columns(const io_generator *g, mm_side side) {
  return side == MM_MENTOR && shaped_capacity(g, 1) != 1 ? 4 : 3;
}

/* A template, perhaps shifted or stretched by a few quarter hours, as text:
 * windows sharing a day set are written "Mon-Fri 09:00-12:00, 13:00-17:00". */
static void draw_availability(rng *r, const io_generator *g, const core *c, cell *out) {
  size_t t;
  if (!c->remote && rng_chance(r, P_HOME_TEMPLATE))
    t = offices[c->office].home[pick_weight(r, home_share, 3)];
  else
    t = pick_cum(r, g->template_cum, N_TEMPLATES);
  schedule_template tp = templates[t];
  if (rng_chance(r, P_VARIATION)) {
    static const int16_t shifts[6] = {-60, -30, -15, 15, 30, 60};
    int16_t d = shifts[rng_below(r, 6)];
    if (rng_below(r, 2)) {
      int ok = 1;
      for (size_t k = 0; k < tp.n; k++)
        ok &= tp.w[k].from + d >= 0 && tp.w[k].to + d <= 24 * 60;
      for (size_t k = 0; ok && k < tp.n; k++) {
        tp.w[k].from = (int16_t)(tp.w[k].from + d);
        tp.w[k].to = (int16_t)(tp.w[k].to + d);
      }
    } else {
      window *w = &tp.w[tp.n - 1];
      int to = w->to + d;
      if (to - w->from >= 60 && to <= 24 * 60) w->to = (int16_t)to;
    }
  }
  cell_clear(out);
  for (size_t k = 0; k < tp.n; k++) {
    if (k > 0 && strcmp(tp.w[k].days, tp.w[k - 1].days) == 0) {
      cell_add(out, ", ");
    } else {
      if (k > 0) cell_add(out, "; ");
      cell_add(out, tp.w[k].days);
      cell_add(out, " ");
    }
    cell_add_time(out, tp.w[k].from);
    cell_add(out, "-");
    cell_add_time(out, tp.w[k].to);
  }
}

/* One to three short windows a week, each 60 to 180 minutes on one or two
 * weekdays (a weekend day now and then), between 08:00 and 21:00 local. */
static void draw_narrow(rng *r, cell *out) {
  static const char *const day_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  int n = 1 + (int)rng_below(r, 3);
  cell_clear(out);
  for (int k = 0; k < n; k++) {
    int day = rng_chance(r, 80) ? 5 + (int)rng_below(r, 2) : (int)rng_below(r, 5);
    int second = day < 4 && rng_chance(r, NARROW_TWO_DAYS) ? day + 1 + (int)rng_below(r, (uint32_t)(4 - day)) : -1;
    int from = 8 * 60 + 15 * (int)rng_below(r, 41);
    int to = from + 60 + 15 * (int)rng_below(r, NARROW_LENGTHS);
    if (k) cell_add(out, "; ");
    cell_add(out, day_names[day]);
    if (second > day) {
      cell_add(out, ",");
      cell_add(out, day_names[second]);
    }
    cell_add(out, " ");
    cell_add_time(out, from);
    cell_add(out, "-");
    cell_add_time(out, to);
  }
}

/* A skill name: mostly from the department's category, some people skills,
 * the rest from anywhere; Zipf-like within a category. */
static const char *draw_skill(rng *r, const io_generator *g, const core *c) {
  size_t cat;
  unsigned x = rng_below(r, 1000);
  if (x < P_DEPT_SKILL)
    cat = departments[c->dept].category;
  else if (x < P_DEPT_SKILL + P_PEOPLE_SKILL)
    cat = CAT_PEOPLE;
  else
    cat = pick_cum(r, g->category_cum, N_CATS);
  return categories[cat].names[pick_cum(r, g->zipf_cum, categories[cat].n)];
}

static int seen(const char *const *list, size_t n, const char *s) {
  for (size_t k = 0; k < n; k++)
    if (list[k] == s) return 1;
  return 0;
}

static void draw_skills(rng *r, const io_generator *g, mm_side side, const core *c, cell *out) {
  const char *chosen[8];
  size_t want = side == MM_MENTOR ? 3 + pick_weight(r, mentor_skills_w, sizeof mentor_skills_w)
                                  : 2 + pick_weight(r, mentee_skills_w, sizeof mentee_skills_w);
  size_t n = 0;
  for (int tries = 0; n < want && tries < 64; tries++) {
    const char *s = draw_skill(r, g, c);
    if (!seen(chosen, n, s)) chosen[n++] = s;
  }
  cell_clear(out);
  for (size_t k = 0; k < n; k++) {
    unsigned level = side == MM_MENTOR
                         ? 3 + (unsigned)pick_weight(r, mentor_level_w, sizeof mentor_level_w)
                         : 2 + (unsigned)pick_weight(r, mentee_level_w, sizeof mentee_level_w);
    if (k) cell_add(out, "; ");
    cell_add(out, chosen[k]);
    cell_add(out, ":");
    cell_add_uint(out, level);
  }
}

static void draw_goals(rng *r, const io_generator *g, mm_side side, cell *out) {
  const char *chosen[5];
  size_t want = side == MM_MENTOR ? 2 + pick_weight(r, mentor_goals_w, sizeof mentor_goals_w)
                                  : 1 + pick_weight(r, mentee_goals_w, sizeof mentee_goals_w);
  size_t n = 0;
  for (int tries = 0; n < want && tries < 64; tries++) {
    const char *s = goals[pick_cum(r, g->goal_cum, N_GOALS)];
    if (!seen(chosen, n, s)) chosen[n++] = s;
  }
  cell_clear(out);
  for (size_t k = 0; k < n; k++) {
    if (k) cell_add(out, "; ");
    cell_add(out, chosen[k]);
  }
}

static void draw_languages(rng *r, mm_side side, const core *c, cell *out) {
  const char *local = c->remote ? NULL : offices[c->office].language;
  cell_clear(out);
  unsigned x = rng_below(r, 1000);
  if (x < P_NO_LANGUAGES) return;
  if (side == MM_MENTEE && x < P_NO_LANGUAGES + P_ONLY_LOCAL) {
    cell_add(out, local ? local : extra_languages[rng_below(r, N_EXTRA_LANGUAGES)]);
    return;
  }
  cell_add(out, "English");
  if (local && rng_chance(r, P_LOCAL_LANGUAGE)) {
    cell_add(out, "; ");
    cell_add(out, local);
  }
  if (rng_chance(r, P_EXTRA_LANGUAGE)) {
    const char *extra = extra_languages[rng_below(r, N_EXTRA_LANGUAGES)];
    if (!local || strcmp(extra, local) != 0) {
      cell_add(out, "; ");
      cell_add(out, extra);
    }
  }
}

/* A mentor of the same office and department (more senior for a mentor's
 * own manager), or -1. */
static long draw_manager(rng *r, const io_generator *g, mm_side side, size_t index, const core *c) {
  if (c->remote || !rng_chance(r, side == MM_MENTOR ? P_MENTOR_MANAGER : P_MENTEE_MANAGER))
    return -1;
  size_t grp = group_of(c);
  uint32_t from = g->group_off[grp], n = g->group_off[grp + 1] - from;
  if (n == 0) return -1;
  for (int tries = 0; tries < 4; tries++) {
    uint32_t j = g->group_mentor[from + rng_below(r, n)];
    if (side == MM_MENTEE) return j;
    if (j != index && g->mentor[j].seniority > c->seniority) return j;
  }
  return -1;
}

static void person_id(mm_side side, size_t index, cell *out) {
  out->n = (size_t)snprintf(out->s, sizeof out->s, "%c%06zu", side == MM_MENTOR ? 'm' : 'e',
                            index + 1);
}

static const char *const header_cells[] = {
    "id",         "name",       "email",     "timezone",  "availability",
    "skills",     "goals",      "location",  "country",   "department",
    "manager_id", "languages",  "seniority", "capacity"};

static void write_identical_row(io_csv_writer *w, const io_generator *g, mm_side side, size_t index) {
  cell id;
  person_id(side, index, &id);
  io_csv_write_text(w, id.s);
  io_csv_write_text(w, "Europe/London");
  io_csv_write_text(w, "Mon-Fri 09:00-17:00");
  if (identical_columns(g, side) == 4) io_csv_write_int(w, shaped_capacity(g, 1));
}

/* The week of a row: office templates from the row's own stream by
 * default, or, once a calendar shape is set, from the person's week stream
 * (a mentee listed as mentor `twin` too has that mentor's week). */
static void draw_week(rng *row, const io_generator *g, mm_side side, size_t index, const core *c,
                      cell *out) {
  if (!g->week_stream) {
    draw_availability(row, g, c, out);
    return;
  }
  int twin = side == MM_MENTEE && index < g->both;
  rng wr;
  rng_seed(&wr, g->seed ^ WEEK_SEED_SALT, twin ? MM_MENTOR : side, STREAM_CORE, index);
  if (g->narrow && rng_chance(&wr, NARROW_SHARE)) {
    draw_narrow(&wr, out);
  } else {
    draw_availability(&wr, g, c, out);
  }
}

static void write_row(io_csv_writer *w, const io_generator *g, mm_side side, size_t index) {
  if (g->shape.identical) {
    write_identical_row(w, g, side, index);
    return;
  }
  /* A mentee listed as a mentor too is that mentor: same id, e-mail,
   * office, name and week. */
  int twin = side == MM_MENTEE && index < g->both;
  mm_side as = twin ? MM_MENTOR : side;
  core c = as == MM_MENTOR ? g->mentor[index] : draw_core(g, side, index);
  rng r;
  rng_seed(&r, g->seed, as, STREAM_ROW, index);
  cell id, text;
  person_id(as, index, &id);
  io_csv_write_text(w, id.s);

  /* Names: mostly from the office's region; a number keeps them unique. */
  unsigned region = offices[c.office].region;
  if (rng_chance(&r, P_FOREIGN_NAME)) region = rng_below(&r, N_REGIONS);
  cell_clear(&text);
  cell_add(&text, first_names[region][rng_below(&r, 12)]);
  cell_add(&text, " ");
  cell_add(&text, last_names[region][rng_below(&r, 12)]);
  cell_add(&text, " ");
  cell_add_uint(&text, (unsigned long)(index + 1 + (as == MM_MENTEE ? g->n[MM_MENTOR] : 0)));
  io_csv_write_text(w, text.s);

  cell_clear(&text);
  cell_add(&text, id.s);
  cell_add(&text, "@example.com");
  io_csv_write_text(w, text.s);

  io_csv_write_text(w, offices[c.office].zone);
  draw_week(&r, g, side, index, &c, &text);
  io_csv_write_text(w, text.s);
  if (g->shape.ties == IO_GEN_TIES_HIGH)
    draw_skills_high_ties(&r, side, &c, &text);
  else
    draw_skills(&r, g, side, &c, &text);
  io_csv_write_text(w, text.s);
  if (g->shape.ties == IO_GEN_TIES_HIGH)
    draw_goals_high_ties(&r, side, &text);
  else
    draw_goals(&r, g, side, &text);
  io_csv_write_text(w, text.s);
  io_csv_write_text(w, c.remote ? "Remote" : offices[c.office].city);
  io_csv_write_text(w, offices[c.office].country);
  io_csv_write_text(w, departments[c.dept].name);
  long boss = draw_manager(&r, g, side, index, &c);
  if (boss >= 0) {
    person_id(MM_MENTOR, (size_t)boss, &text);
    io_csv_write_text(w, text.s);
  } else {
    io_csv_write_text(w, NULL);
  }
  draw_languages(&r, side, &c, &text);
  io_csv_write_text(w, text.s);
  io_csv_write_int(w, c.seniority);
  if (side == MM_MENTOR && g->narrow) {
    io_csv_write_int(w, shaped_capacity(g, 2 + (unsigned)rng_below(&r, 3)));
  } else if (side == MM_MENTOR) {
    io_csv_write_int(w, shaped_capacity(g, 1 + (unsigned)pick_weight(&r, capacity_w, sizeof capacity_w)));
  }
}

mm_status io_generator_write(const io_generator *g, mm_side side, FILE *f, const char *name,
                             mm_error *e) {
  io_csv_writer w;
  io_csv_writer_init(&w, f, name);
  const char *const *header = g->shape.identical ? identical_header : header_cells;
  size_t n_cols = g->shape.identical ? identical_columns(g, side)
                                     : sizeof header_cells / sizeof *header_cells - (side == MM_MENTOR ? 0 : 1);
  for (size_t k = 0; k < n_cols; k++) io_csv_write_text(&w, header[k]);
  mm_status st = io_csv_end_record(&w, e);
  for (size_t i = 0; i < g->n[side] && st == MM_OK; i++) {
    write_row(&w, g, side, i);
    st = io_csv_end_record(&w, e);
  }
  if (st != MM_OK) return st;
  return io_csv_writer_finish(&w, e);
}
