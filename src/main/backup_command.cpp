// `shipline backup` and `shipline restore`: the embedded database and its
// mail folder, to and from one file (main/backup_bundle.hpp). PostgreSQL is
// backed up with its own tools (docs/DEPLOYMENT.md).

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "main/backup_bundle.hpp"
#include "main/commands.hpp"
#include "store/sqlite/backup.hpp"

namespace shipline::main {

namespace {

namespace fs = std::filesystem;

int Fail(const Error& error) {
  std::cerr << "shipline: " << error.message;
  if (!error.detail.empty()) std::cerr << ": " << error.detail;
  std::cerr << "\n";
  return error.code == ErrorCode::kInternal ? 1 : 2;
}

// The mail files of `data`, in name order: *.eml only (a writer's temporary
// is hidden and has no suffix until it is complete).
std::vector<BundleMember> MailFiles(const fs::path& data) {
  std::vector<BundleMember> members;
  std::error_code ec;
  for (fs::directory_iterator it(data / "mail", ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_regular_file() && it->path().extension() == ".eml" && name.front() != '.') {
      members.push_back({"mail/" + name, it->path()});
    }
  }
  std::sort(members.begin(), members.end(),
            [](const BundleMember& a, const BundleMember& b) { return a.name < b.name; });
  return members;
}

}  // namespace

int BackupCommand(const std::string& data, const std::string& to) {
  const fs::path target(to);
  std::error_code ec;
  if (fs::exists(target, ec)) return Fail(Error::Exists(to + " exists; choose a new file"));
  // The database first, then the mail: every email the copied database
  // records as sent has its file in the folder by then.
  fs::path snapshot = target;
  snapshot += ".db-partial";
  fs::remove(snapshot, ec);
  if (Status copied = store::sqlite::BackUpDatabase((fs::path(data) / "shipline.db").string(),
                                                    snapshot.string());
      !copied.ok()) {
    fs::remove(snapshot, ec);
    return Fail(copied.error());
  }
  std::vector<BundleMember> members{{"shipline.db", snapshot}};
  std::vector<BundleMember> mail = MailFiles(data);
  members.insert(members.end(), mail.begin(), mail.end());
  Status written = WriteBundle(target, members);
  fs::remove(snapshot, ec);
  if (!written.ok()) return Fail(written.error());
  std::cout << "{\"backup\":\"" << to << "\",\"mailFiles\":" << mail.size() << "}" << std::endl;
  return 0;
}

int RestoreCommand(const std::string& from, const std::string& data) {
  const fs::path folder(data);
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_empty(folder, ec)) {
    return Fail(Error::Precondition(data + " is not empty; restore needs an empty data folder"));
  }
  fs::create_directories(folder, ec);
  if (ec) return Fail(Error::Internal("cannot create " + data + ": " + ec.message()));
  Status extracted = ExtractBundle(from, folder);
  if (!extracted.ok()) {
    // The folder was empty: what is in it now is this restore's half.
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
    return Fail(extracted.error());
  }
  std::cout << "{\"restored\":\"" << data << "\"}" << std::endl;
  return 0;
}

}  // namespace shipline::main
