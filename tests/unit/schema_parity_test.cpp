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
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_db.hpp"
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

// Every row of `sql` on `db`, each as its columns' text.
Result<std::vector<std::vector<std::string>>> AllRows(store::sql::Db& db, const std::string& sql,
                                                      int columns) {
  SHIPLINE_SQL_QUERY(rows, db, sql, store::sql::Params());
  std::vector<std::vector<std::string>> out;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) return out;
    auto& row = out.emplace_back();
    for (int c = 0; c < columns; ++c) row.push_back(rows.IsNull(c) ? "<null>" : rows.Text(c));
  }
}

Result<Schema> DescribeSqlite(const std::string& path) {
  auto opened = store::sqlite::Connection::Open(path, true);
  if (!opened) return std::move(opened).error();
  store::sqlite::SqliteDb db(**opened, false);
  auto tables = AllRows(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
                        1);
  if (!tables) return std::move(tables).error();
  Schema schema;
  for (const auto& table_row : *tables) {
    const std::string& table = table_row[0];
    std::set<std::string>& lines = schema[table];
    // cid, name, type, notnull, dflt_value, pk
    auto columns = AllRows(db, "PRAGMA table_info(" + table + ")", 6);
    if (!columns) return std::move(columns).error();
    std::vector<std::string> primary;
    for (const auto& column : *columns) {
      std::string type = CommonType(column[2]);
      bool is_primary = column[5] != "0";
      // INTEGER PRIMARY KEY is the rowid: never NULL, though not declared so.
      bool not_null = column[3] != "0" || (is_primary && type == "integer");
      lines.insert("column " + column[1] + " " + type + (not_null ? " not null" : ""));
      if (is_primary) primary.push_back(column[1]);
    }
    // seq, name, unique, origin, partial
    auto indexes = AllRows(db, "PRAGMA index_list(" + table + ")", 5);
    if (!indexes) return std::move(indexes).error();
    bool primary_indexed = false;
    for (const auto& index : *indexes) {
      // seqno, cid, name (NULL for an expression)
      auto info = AllRows(db, "PRAGMA index_info(" + index[1] + ")", 3);
      if (!info) return std::move(info).error();
      std::vector<std::string> key;
      for (const auto& part : *info) key.push_back(part[2] == "<null>" ? "<expression>" : part[2]);
      lines.insert(KeyLine(index[2] != "0", key, index[4] != "0"));
      if (index[3] == "pk") primary_indexed = true;
    }
    // A rowid primary key has no index of its own in index_list.
    if (!primary.empty() && !primary_indexed) lines.insert(KeyLine(true, primary, false));
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
    std::stringstream names(indexes->Text(r, 3));
    for (std::string column; std::getline(names, column, ',');) key.push_back(column);
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
