// The two engines' schemas are written as two sets of migrations; this test
// proves they describe one schema: the same tables, the same columns with
// the same (mapped) types and nullability, and the same keys and indexes
// (by their columns and uniqueness, not their names). A migration added to
// one folder and not the other fails here.

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/sqlite/connection.hpp"
#include "support/store_backends.hpp"

namespace shipline::test {
namespace {

// A table as both engines can describe it, as sorted lines of text so that a
// difference prints as a readable diff.
using Schema = std::map<std::string, std::set<std::string>>;

// SQLite's storage classes and PostgreSQL's types, mapped to one vocabulary.
// PostgreSQL booleans are integers on SQLite (0 and 1).
std::string CommonType(std::string type) {
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "integer" || type == "bigint" || type == "smallint" || type == "boolean") {
    return "integer";
  }
  if (type == "text" || type == "character varying") return "text";
  if (type == "real" || type == "double precision") return "real";
  return type;
}

std::string KeyLine(bool unique, const std::vector<std::string>& columns, bool partial) {
  std::string line = unique ? "unique (" : "index (";
  for (size_t i = 0; i < columns.size(); ++i) line += (i ? ", " : "") + columns[i];
  line += ")";
  if (partial) line += " where ...";
  return line;
}

Result<Schema> DescribeSqlite(const std::string& path) {
  auto opened = store::sqlite::Connection::Open(path, true);
  if (!opened) return std::move(opened).error();
  store::sqlite::Connection& db = **opened;
  Schema schema;
  std::vector<std::string> tables;
  {
    auto query = db.Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_migrations' ORDER BY name");
    if (!query) return std::move(query).error();
    for (;;) {
      auto row = query->Step();
      if (!row) return std::move(row).error();
      if (!*row) break;
      tables.push_back(query->Text(0));
    }
  }
  for (const auto& table : tables) {
    std::set<std::string>& lines = schema[table];
    std::vector<std::string> rowid_key;
    {
      auto columns = db.Prepare(("PRAGMA table_info(" + table + ")").c_str());
      if (!columns) return std::move(columns).error();
      int key_columns = 0;
      std::string key_name, key_type;
      for (;;) {
        auto row = columns->Step();
        if (!row) return std::move(row).error();
        if (!*row) break;
        std::string name = columns->Text(1);
        std::string type = CommonType(columns->Text(2));
        bool primary = columns->Int(5) > 0;
        // INTEGER PRIMARY KEY is the rowid: never NULL, though not declared so.
        bool not_null = columns->Int(3) != 0 || (primary && type == "integer");
        lines.insert("column " + name + " " + type + (not_null ? " not null" : ""));
        if (primary) {
          ++key_columns;
          key_name = name;
          key_type = type;
        }
      }
      // A rowid primary key has no index of its own in index_list.
      if (key_columns == 1 && key_type == "integer") rowid_key = {key_name};
    }
    if (!rowid_key.empty()) lines.insert(KeyLine(true, rowid_key, false));
    std::vector<std::tuple<std::string, bool, bool>> indexes;
    {
      auto list = db.Prepare(("PRAGMA index_list(" + table + ")").c_str());
      if (!list) return std::move(list).error();
      for (;;) {
        auto row = list->Step();
        if (!row) return std::move(row).error();
        if (!*row) break;
        indexes.emplace_back(list->Text(1), list->Int(2) != 0, list->Int(4) != 0);
      }
    }
    for (const auto& [index, unique, partial] : indexes) {
      auto info = db.Prepare(("PRAGMA index_info(" + index + ")").c_str());
      if (!info) return std::move(info).error();
      std::vector<std::string> columns;
      for (;;) {
        auto row = info->Step();
        if (!row) return std::move(row).error();
        if (!*row) break;
        columns.push_back(info->IsNull(2) ? "<expression>" : info->Text(2));
      }
      lines.insert(KeyLine(unique, columns, partial));
    }
  }
  return schema;
}

Result<Schema> DescribePostgres(const std::string& url) {
  auto opened = store::postgres::Connection::Open(url, {});
  if (!opened) return std::move(opened).error();
  store::postgres::Connection& db = **opened;
  Schema schema;
  auto columns = db.Query(
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'");
  if (!columns) return std::move(columns).error();
  for (int r = 0; r < columns->size(); ++r) {
    schema[columns->Text(r, 0)].insert("column " + columns->Text(r, 1) + " " +
                                       CommonType(columns->Text(r, 2)) +
                                       (columns->Text(r, 3) == "NO" ? " not null" : ""));
  }
  // Every index (those behind primary keys and unique constraints too) with
  // its columns in key order; an expression's key position reads as 0.
  auto indexes = db.Query(
      "SELECT t.relname, i.indisunique, i.indpred IS NOT NULL, "
      "array_to_string(ARRAY(SELECT coalesce(a.attname, '<expression>') "
      "FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) "
      "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
      "ORDER BY k.position), ',') "
      "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
      "JOIN pg_namespace n ON n.oid = t.relnamespace "
      "WHERE n.nspname = current_schema() AND t.relname <> 'schema_migrations'");
  if (!indexes) return std::move(indexes).error();
  for (int r = 0; r < indexes->size(); ++r) {
    std::vector<std::string> key;
    std::stringstream columns(indexes->Text(r, 3));
    for (std::string column; std::getline(columns, column, ',');) key.push_back(column);
    schema[indexes->Text(r, 0)].insert(KeyLine(indexes->Bool(r, 1), key, indexes->Bool(r, 2)));
  }
  return schema;
}

std::string Render(const Schema& schema) {
  std::ostringstream out;
  for (const auto& [table, lines] : schema) {
    for (const auto& line : lines) out << table << ": " << line << "\n";
  }
  return out.str();
}

TEST(SchemaParity, BothEnginesMigrateToOneSchema) {
  if (!TestDatabaseUrl()) GTEST_SKIP() << "SHIPLINE_TEST_DATABASE is not set";
  auto sqlite = BackendStore::Open(Backend::kSqlite);
  ASSERT_TRUE(sqlite.ok());
  auto postgres = BackendStore::Open(Backend::kPostgres);
  ASSERT_TRUE(postgres.ok()) << postgres.error().detail;
  auto on_sqlite = DescribeSqlite((*sqlite)->location());
  ASSERT_TRUE(on_sqlite.ok()) << on_sqlite.error().detail;
  auto on_postgres = DescribePostgres((*postgres)->location());
  ASSERT_TRUE(on_postgres.ok()) << on_postgres.error().detail;
  EXPECT_GT(on_sqlite->size(), 10u);
  EXPECT_EQ(Render(*on_sqlite), Render(*on_postgres));
}

}  // namespace
}  // namespace shipline::test
