// ConfigLoader: defaults, the file and the command line, every error class,
// --help / --version / --check-config, and the shipped config/jetsvc.conf.

#include "config/config.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/instance/params.h"
#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  // Loads with argv {"jetsvc", args...}, the fake environment and a default
  // config path that does not exist unless a test writes it.
  LoadOutcome Load(const std::vector<std::string>& args, Config* config, std::string* error,
                   std::string* out = nullptr) {
    std::vector<std::string> argv = {"jetsvc"};
    argv.insert(argv.end(), args.begin(), args.end());
    ConfigLoader loader(
        argv,
        [this](const char* name) -> const char* {
          const auto found = env_.find(name);
          return found == env_.end() ? nullptr : found->second.c_str();
        },
        default_path_);
    std::ostringstream stream;
    error->clear();
    const LoadOutcome outcome = loader.Load(config, stream, error);
    if (out != nullptr) *out = stream.str();
    return outcome;
  }

  // Loads and expects success.
  Config MustLoad(const std::vector<std::string>& args) {
    Config config;
    std::string error;
    EXPECT_EQ(LoadOutcome::kRun, Load(args, &config, &error)) << error;
    EXPECT_EQ("", error);
    return config;
  }

  // Loads and expects kError; returns the message.
  std::string LoadError(const std::vector<std::string>& args) {
    Config config;
    std::string error;
    EXPECT_EQ(LoadOutcome::kError, Load(args, &config, &error));
    EXPECT_NE("", error);
    return error;
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path = dir_.Join(name);
    std::ofstream(path) << content;
    return path;
  }

  testing::ScratchDir dir_;
  std::map<std::string, std::string> env_;
  std::string default_path_ = dir_.Join("absent-default.conf");
};

const EngineSetting& Engine(const Config& config, const std::string& option) {
  const EngineSetting* setting = config.FindEngine(option);
  if (setting == nullptr) {
    ADD_FAILURE() << "no engine setting " << option;
    static const EngineSetting kNone{};
    return kNone;
  }
  return *setting;
}

// Every field outside [engine], as text.
std::vector<std::string> ServiceValues(const Config& c) {
  return {c.data_dir,
          c.database,
          c.instance_name,
          c.log_level,
          std::to_string(c.prepare_timeout_ms),
          c.bus,
          c.bus_address,
          c.logind,
          std::to_string(c.inhibit_margin_ms),
          std::to_string(c.max_key_bytes),
          std::to_string(c.max_value_bytes),
          std::to_string(c.max_scan_items),
          std::to_string(c.max_batch_items)};
}

uint64_t EngineDefault(uint32_t param_id) { return ParamValues::Spec(param_id)->default_value; }

// A path rooted without a drive ("/var/lib") as Load() reports it: on
// Windows it is on the working directory's drive ("C:/var/lib"); elsewhere
// it is itself.
std::string Rooted(const std::string& path) {
  return std::filesystem::current_path().root_name().generic_string() + path;
}

// `relative` under the working directory, with '/' separators as Load()
// reports paths on every system.
std::string UnderWorkingDir(const std::string& relative) {
  return (std::filesystem::current_path() / relative).generic_string();
}

// --- defaults ---------------------------------------------------------------

TEST_F(ConfigTest, DefaultsApplyWithoutFileOrEnvironment) {
  const Config config = MustLoad({});
  const std::string data_dir = UnderWorkingDir("jetsvc-data");
  EXPECT_EQ(data_dir, config.data_dir);
  EXPECT_EQ(data_dir + "/jetsvc.edb", config.database);
  EXPECT_EQ("jetsvc", config.instance_name);
  EXPECT_EQ("info", config.log_level);
  EXPECT_EQ(240000u, config.prepare_timeout_ms);
  EXPECT_EQ("system", config.bus);
  EXPECT_EQ("", config.bus_address);
  EXPECT_EQ("auto", config.logind);
  EXPECT_EQ(1000u, config.inhibit_margin_ms);
  EXPECT_EQ(255u, config.max_key_bytes);
  EXPECT_EQ(1048576u, config.max_value_bytes);
  EXPECT_EQ(1000u, config.max_scan_items);
  EXPECT_EQ(10000u, config.max_batch_items);
  EXPECT_EQ("", config.config_path);

  EXPECT_EQ(data_dir + "/logs/", Engine(config, "log-path").text);
  EXPECT_EQ(data_dir + "/", Engine(config, "system-path").text);
  EXPECT_EQ(data_dir + "/tmp.edb", Engine(config, "temp-path").text);
  EXPECT_EQ("edb", Engine(config, "base-name").text);
  EXPECT_EQ(5120u, Engine(config, "log-file-size").integer);
  EXPECT_EQ(EngineDefault(JET_paramLogBuffers), Engine(config, "log-buffers").integer);
  EXPECT_EQ(1u, Engine(config, "circular-log").integer);
  EXPECT_EQ(EngineDefault(JET_paramCheckpointDepthMax),
            Engine(config, "checkpoint-depth-max").integer);
  EXPECT_EQ(65536u, Engine(config, "cache-size-max").integer);
  EXPECT_EQ(8192u, Engine(config, "page-size").integer);
  EXPECT_EQ(64u, Engine(config, "max-sessions").integer);
  EXPECT_EQ(EngineDefault(JET_paramMaxOpenTables), Engine(config, "max-open-tables").integer);
  EXPECT_EQ(EngineDefault(JET_paramMaxCursors), Engine(config, "max-cursors").integer);
  EXPECT_EQ(1024u, Engine(config, "max-ver-pages").integer);
  EXPECT_EQ(EngineDefault(JET_paramDbExtensionSize), Engine(config, "db-extension-size").integer);
  EXPECT_EQ(static_cast<uint64_t>(JET_OnlineDefragAll), Engine(config, "online-defrag").integer);
  EXPECT_EQ(1u, Engine(config, "create-paths").integer);
}

TEST_F(ConfigTest, EngineSettingsFollowTheSchemaOrderWithTheirParams) {
  const Config config = MustLoad({});
  std::vector<std::string> engine_options;
  for (const OptionDoc& doc : DescribeOptions()) {
    if (doc.section == "engine") engine_options.push_back(doc.name);
  }
  ASSERT_EQ(engine_options.size(), config.engine.size());
  for (size_t i = 0; i < config.engine.size(); ++i) {
    const EngineSetting& setting = config.engine[i];
    EXPECT_EQ(engine_options[i], setting.option);
    const ParamSpec* spec = ParamValues::Spec(setting.param_id);
    ASSERT_NE(nullptr, spec) << setting.option;
    // Only parameters the engine acts on are worth an option.
    EXPECT_EQ(SupportLevel::kActs, spec->support) << setting.option;
    EXPECT_EQ(spec->type == ParamType::kString, setting.is_string) << setting.option;
    EXPECT_EQ(!ParamValues::FrozenAfterInit(setting.param_id), setting.reloadable)
        << setting.option;
  }
  EXPECT_EQ(static_cast<uint32_t>(JET_paramDatabasePageSize), Engine(config, "page-size").param_id);
  EXPECT_EQ(static_cast<uint32_t>(JET_paramEnableOnlineDefrag),
            Engine(config, "engine.online-defrag").param_id);
}

TEST_F(ConfigTest, ReloadableOptionsAreTheOnesTheEngineChangesAtRunTime) {
  std::map<std::string, bool> reloadable;
  for (const OptionDoc& doc : DescribeOptions()) reloadable[doc.name] = doc.reloadable;
  EXPECT_TRUE(reloadable.at("service.log-level"));
  EXPECT_TRUE(reloadable.at("engine.checkpoint-depth-max"));
  EXPECT_TRUE(reloadable.at("engine.online-defrag"));
  EXPECT_FALSE(reloadable.at("engine.log-file-size"));
  EXPECT_FALSE(reloadable.at("engine.page-size"));
  EXPECT_FALSE(reloadable.at("engine.log-path"));
  EXPECT_FALSE(reloadable.at("service.data-dir"));
  EXPECT_FALSE(reloadable.at("dbus.bus"));
}

TEST_F(ConfigTest, StateDirectoryIsTheDefaultDataDir) {
  env_["STATE_DIRECTORY"] = "/var/lib/jetsvc:/var/lib/other";
  Config config = MustLoad({});
  EXPECT_EQ(Rooted("/var/lib/jetsvc"), config.data_dir);
  EXPECT_EQ(Rooted("/var/lib/jetsvc/jetsvc.edb"), config.database);
  EXPECT_EQ(Rooted("/var/lib/jetsvc/logs/"), Engine(config, "log-path").text);
  EXPECT_EQ(Rooted("/var/lib/jetsvc/"), Engine(config, "system-path").text);

  env_["STATE_DIRECTORY"] = "/srv/state/";
  config = MustLoad({});
  EXPECT_EQ(Rooted("/srv/state"), config.data_dir);

  env_["STATE_DIRECTORY"] = "";  // set but empty: as if unset
  config = MustLoad({});
  EXPECT_EQ(UnderWorkingDir("jetsvc-data"), config.data_dir);
}

TEST_F(ConfigTest, GivenDataDirWinsOverStateDirectoryAndIsMadeAbsolute) {
  env_["STATE_DIRECTORY"] = "/var/lib/jetsvc";
  Config config = MustLoad({"--service.data-dir=/data/x/"});
  EXPECT_EQ(Rooted("/data/x"), config.data_dir);
  EXPECT_EQ(Rooted("/data/x/logs/"), Engine(config, "log-path").text);

  config = MustLoad({"--service.data-dir", "rel/dir"});
  EXPECT_EQ(UnderWorkingDir("rel/dir"), config.data_dir);
}

TEST_F(ConfigTest, LogFileIsOptionalAndRelativeToDataDir) {
  EXPECT_EQ("", MustLoad({"--service.data-dir=/d"}).log_file);
  EXPECT_EQ(Rooted("/d/logs/j.log"),
            MustLoad({"--service.data-dir=/d", "--service.log-file=logs/j.log"}).log_file);
  EXPECT_EQ(Rooted("/var/log/j.log"), MustLoad({"--service.log-file=/var/log/j.log"}).log_file);
  EXPECT_NE(std::string::npos, LoadError({"--service.log-file=logs/"}).find("names a directory"));
}

TEST_F(ConfigTest, WindowsOptionsHaveDefaultsAndRanges) {
  Config config = MustLoad({});
  EXPECT_EQ(120000u, config.preshutdown_timeout_ms);
  EXPECT_EQ("jetsvc", config.pipe_name);
  config = MustLoad({"--windows.preshutdown-timeout-ms=60000", "--windows.pipe-name=other"});
  EXPECT_EQ(60000u, config.preshutdown_timeout_ms);
  EXPECT_EQ("other", config.pipe_name);
  const std::string error = LoadError({"--windows.preshutdown-timeout-ms=10"});
  EXPECT_NE(std::string::npos, error.find("windows.preshutdown-timeout-ms")) << error;
  const std::string path = WriteFile("w.conf", "[windows]\npipe-name =\n");
  EXPECT_EQ(path + ":2: windows.pipe-name = \"\": must not be empty", LoadError({"--config", path}));
}

TEST_F(ConfigTest, RelativePathsAreUnderDataDirAndDirectoriesEndWithSlash) {
  const Config config = MustLoad({"--service.data-dir=/d", "--service.database=db/main.edb",
                                  "--engine.log-path=/abs/logs", "--engine.system-path=sys",
                                  "--engine.temp-path=tmp/", "--engine.base-name=abc"});
  EXPECT_EQ(Rooted("/d/db/main.edb"), config.database);
  EXPECT_EQ(Rooted("/abs/logs/"), Engine(config, "log-path").text);
  EXPECT_EQ(Rooted("/d/sys/"), Engine(config, "system-path").text);
  EXPECT_EQ(Rooted("/d/tmp/"), Engine(config, "temp-path").text);
  EXPECT_EQ("abc", Engine(config, "base-name").text);
}

// --- file and command line --------------------------------------------------

TEST_F(ConfigTest, FileValuesApplyAndTheCommandLineWins) {
  const std::string path = WriteFile("a.conf",
                                     "# comment\n"
                                     "[service]\n"
                                     "log-level = debug   # trailing comment\n"
                                     "instance-name=from-file\n"
                                     "\n"
                                     "[engine]\n"
                                     "  log-file-size = 1024\n"
                                     "cache-size-max = 0x1000\n"
                                     "circular-log = off\n"
                                     "[store]\n"
                                     "max-scan-items = 50\n");
  const Config config = MustLoad({"--config", path, "--engine.log-file-size=2048",
                                  "--service.instance-name", "from-argv"});
  EXPECT_EQ(path, config.config_path);
  EXPECT_EQ("debug", config.log_level);
  EXPECT_EQ("from-argv", config.instance_name);
  EXPECT_EQ(2048u, Engine(config, "log-file-size").integer);
  EXPECT_EQ(4096u, Engine(config, "cache-size-max").integer);
  EXPECT_EQ(0u, Engine(config, "circular-log").integer);
  EXPECT_EQ(50u, config.max_scan_items);
}

TEST_F(ConfigTest, TheDefaultFileIsReadWhenPresent) {
  WriteFile("absent-default.conf", "[logind]\nenable = no\ninhibit-margin-ms = 250\n");
  const Config config = MustLoad({});
  EXPECT_EQ(default_path_, config.config_path);
  EXPECT_EQ("no", config.logind);
  EXPECT_EQ(250u, config.inhibit_margin_ms);
}

TEST_F(ConfigTest, BooleansAcceptEveryDocumentedSpelling) {
  for (const char* yes : {"true", "yes", "on", "1", "TRUE", "Yes"}) {
    const Config config = MustLoad({std::string("--engine.circular-log=") + yes,
                                    std::string("--engine.online-defrag=") + yes});
    EXPECT_EQ(1u, Engine(config, "circular-log").integer) << yes;
    EXPECT_EQ(static_cast<uint64_t>(JET_OnlineDefragAll), Engine(config, "online-defrag").integer)
        << yes;
  }
  for (const char* no : {"false", "no", "off", "0", "Off"}) {
    const Config config = MustLoad({std::string("--engine.circular-log=") + no,
                                    std::string("--engine.online-defrag=") + no});
    EXPECT_EQ(0u, Engine(config, "circular-log").integer) << no;
    EXPECT_EQ(static_cast<uint64_t>(JET_OnlineDefragDisable),
              Engine(config, "online-defrag").integer)
        << no;
  }
}

TEST_F(ConfigTest, ChoicesIgnoreCase) {
  const Config config = MustLoad({"--service.log-level=WARNING", "--dbus.bus=Session"});
  EXPECT_EQ("warning", config.log_level);
  EXPECT_EQ("session", config.bus);
}

TEST_F(ConfigTest, BusAddressIsUsedWithBusAddress) {
  const Config config = MustLoad({"--dbus.bus=address", "--dbus.address=unix:path=/tmp/b"});
  EXPECT_EQ("address", config.bus);
  EXPECT_EQ("unix:path=/tmp/b", config.bus_address);
}

// --- errors -----------------------------------------------------------------

TEST_F(ConfigTest, UnknownOptionInTheFileNamesFileAndLine) {
  const std::string path = WriteFile("u.conf", "[engine]\nlog-file-size = 1024\nnope = 1\n");
  EXPECT_EQ(path + ":3: unknown option 'engine.nope'", LoadError({"--config", path}));
}

TEST_F(ConfigTest, OptionOutsideASectionIsUnknown) {
  const std::string path = WriteFile("s.conf", "log-level = debug\n");
  const std::string error = LoadError({"--config", path});
  EXPECT_NE(std::string::npos, error.find(path + ":1: unknown option 'log-level'")) << error;
  EXPECT_NE(std::string::npos, error.find("[section]")) << error;
}

TEST_F(ConfigTest, CommandLineOnlyOptionsAreUnknownInTheFile) {
  const std::string path = WriteFile("h.conf", "help = 1\n");
  const std::string error = LoadError({"--config", path});
  EXPECT_EQ(0u, error.find(path + ":1: unknown option 'help'")) << error;
}

TEST_F(ConfigTest, UnknownOptionOnTheCommandLine) {
  const std::string error = LoadError({"--engine.nope=1"});
  EXPECT_NE(std::string::npos, error.find("command line")) << error;
  EXPECT_NE(std::string::npos, error.find("engine.nope")) << error;
}

TEST_F(ConfigTest, AbbreviatedOptionsAreNotGuessed) {
  const std::string error = LoadError({"--vers"});
  EXPECT_NE(std::string::npos, error.find("vers")) << error;
}

TEST_F(ConfigTest, PositionalArgumentsAreRefused) {
  EXPECT_EQ("command line: unexpected argument 'stray' (see --help)", LoadError({"stray"}));
}

TEST_F(ConfigTest, AnOptionTwiceIsAnError) {
  const std::string on_argv = LoadError({"--engine.log-file-size=64", "--engine.log-file-size=128"});
  EXPECT_NE(std::string::npos, on_argv.find("engine.log-file-size")) << on_argv;

  const std::string path =
      WriteFile("d.conf", "[engine]\nlog-file-size = 64\n\n[engine]\nlog-file-size = 128\n");
  EXPECT_EQ(path + ":5: engine.log-file-size is set twice (first on line 2)",
            LoadError({"--config", path}));
}

TEST_F(ConfigTest, ALineThatIsNeitherSectionNorOptionNamesItsLine) {
  const std::string path = WriteFile("b.conf", "[engine]\njust words\n");
  EXPECT_EQ(path + ":2: not a \"[section]\" or \"name = value\" line: just words",
            LoadError({"--config", path}));
}

TEST_F(ConfigTest, BadNumbersNameTheOptionAndTheRange) {
  for (const char* bad : {"abc", "-5", "12kb", "1.5", "0x", "+7", " 7", "0x-1",
                          "99999999999999999999999"}) {
    const std::string error = LoadError({std::string("--engine.log-file-size=") + bad});
    EXPECT_NE(std::string::npos, error.find("engine.log-file-size = ")) << error;
    EXPECT_NE(std::string::npos, error.find("not an unsigned integer")) << error;
    EXPECT_NE(std::string::npos, error.find("64..32768")) << error;
  }
  // An empty value: Boost refuses "--name=" on the command line itself.
  EXPECT_NE(std::string::npos,
            LoadError({"--engine.log-file-size="}).find("'--engine.log-file-size'"));
  const std::string path = WriteFile("n.conf", "[engine]\nlog-file-size =\n");
  EXPECT_EQ(path +
                ":2: engine.log-file-size = \"\": not an unsigned integer (write it in decimal or "
                "0x hexadecimal; 64..32768)",
            LoadError({"--config", path}));
  const std::string error = LoadError({"--store.max-scan-items=-1"});
  EXPECT_EQ(
      "command line: store.max-scan-items = -1: not an unsigned integer (write it in decimal or "
      "0x hexadecimal; 1..1000000)",
      error);
}

TEST_F(ConfigTest, OutOfRangeNamesOptionValueRangeAndParam) {
  EXPECT_EQ(
      "command line: engine.log-file-size = 10: out of range 64..32768 (JET_paramLogFileSize)",
      LoadError({"--engine.log-file-size=10"}));
  const std::string path = WriteFile("r.conf", "[engine]\n\nmax-sessions = 30001\n");
  EXPECT_EQ(path + ":3: engine.max-sessions = 30001: out of range 0..30000 (JET_paramMaxSessions)",
            LoadError({"--config", path}));
  EXPECT_EQ(
      "command line: engine.cache-size-max = 0: out of range 1..2^64-1 (JET_paramCacheSizeMax)",
      LoadError({"--engine.cache-size-max=0"}));
  EXPECT_EQ("command line: service.prepare-timeout-ms = 0: out of range 1..86400000",
            LoadError({"--service.prepare-timeout-ms=0"}));
  EXPECT_EQ("command line: store.max-value-bytes = 16777217: out of range 1..16777216",
            LoadError({"--store.max-value-bytes=16777217"}));
}

TEST_F(ConfigTest, PageSizeIsAPowerOfTwoInTheEngineRange) {
  EXPECT_EQ(
      "command line: engine.page-size = 12288: not a power of two in 4096..32768 "
      "(JET_paramDatabasePageSize)",
      LoadError({"--engine.page-size=12288"}));
  EXPECT_EQ(
      "command line: engine.page-size = 65536: out of range 4096..32768 "
      "(JET_paramDatabasePageSize)",
      LoadError({"--engine.page-size=65536"}));
  for (const char* good : {"4096", "8192", "16384", "32768", "0x4000"}) {
    MustLoad({std::string("--engine.page-size=") + good});
  }
}

TEST_F(ConfigTest, BaseNameHasExactlyThreeCharacters) {
  EXPECT_EQ(
      "command line: engine.base-name = ab: must have exactly 3 characters, not 2 "
      "(JET_paramBaseName)",
      LoadError({"--engine.base-name=ab"}));
  EXPECT_NE(std::string::npos, LoadError({"--engine.base-name=a/b"}).find("'/'"));
}

TEST_F(ConfigTest, TooLongPathsAreRefusedAsTheEngineWould) {
  const std::string long_dir = "/" + std::string(250, 'd');
  const std::string error = LoadError({"--service.data-dir=" + long_dir});
  // The first path option made from the default names the parameter.
  EXPECT_NE(std::string::npos, error.find("engine.log-path = " + Rooted(long_dir) + "/logs/"))
      << error;
  EXPECT_NE(std::string::npos, error.find("out of range 0..246 (JET_paramLogFilePath)")) << error;
  EXPECT_NE(std::string::npos, error.find("[the default")) << error;
}

TEST_F(ConfigTest, BadBooleanNamesTheOption) {
  EXPECT_EQ(
      "command line: engine.circular-log = maybe: not a boolean (true/false, yes/no, on/off, "
      "1/0)",
      LoadError({"--engine.circular-log=maybe"}));
}

TEST_F(ConfigTest, BadLogLevelListsTheLevels) {
  EXPECT_EQ(
      "command line: service.log-level = loud: not one of trace|debug|info|warning|error|fatal",
      LoadError({"--service.log-level=loud"}));
  EXPECT_NE(std::string::npos, LoadError({"--logind.enable=maybe"}).find("auto|yes|no"));
  EXPECT_NE(std::string::npos, LoadError({"--dbus.bus=tcp"}).find("system|session|address"));
}

TEST_F(ConfigTest, BusAddressNeedsAnAddressAndOnlyThen) {
  const std::string missing = LoadError({"--dbus.bus=address"});
  EXPECT_NE(std::string::npos, missing.find("dbus.bus = address needs dbus.address")) << missing;
  const std::string stray = LoadError({"--dbus.address=unix:path=/x"});
  EXPECT_NE(std::string::npos, stray.find("dbus.address = unix:path=/x")) << stray;
  EXPECT_NE(std::string::npos, stray.find("dbus.bus = system")) << stray;
}

TEST_F(ConfigTest, EmptyRequiredTextIsRefused) {
  const std::string path = WriteFile("e.conf", "[service]\ninstance-name =\n");
  EXPECT_EQ(path + ":2: service.instance-name = \"\": must not be empty",
            LoadError({"--config", path}));
  EXPECT_NE(std::string::npos, LoadError({"--service.database=dir/"}).find("names a directory"));
}

TEST_F(ConfigTest, MaxKeyBytesIsCappedByTheBinaryKeyColumn) {
  EXPECT_EQ(255u, MustLoad({"--store.max-key-bytes=255"}).max_key_bytes);
  EXPECT_NE(std::string::npos, LoadError({"--store.max-key-bytes=256"}).find("1..255"));
  EXPECT_NE(std::string::npos, LoadError({"--store.max-key-bytes=0"}).find("1..255"));
}

TEST_F(ConfigTest, AnExplicitConfigFileMustExist) {
  const std::string path = dir_.Join("missing.conf");
  EXPECT_EQ("config file " + path + ": no such file", LoadError({"--config", path}));
  EXPECT_EQ("config file " + dir_.path() + ": is a directory",
            LoadError({"--config", dir_.path()}));
}

// --- generic options ---------------------------------------------------------

TEST_F(ConfigTest, HelpListsEveryOptionWithDefaultAndRange) {
  Config config;
  std::string error;
  std::string out;
  // --help does not read the file, so a missing one is no error here.
  ASSERT_EQ(LoadOutcome::kExitSuccess,
            Load({"--help", "--config", dir_.Join("missing.conf")}, &config, &error, &out));
  EXPECT_EQ("", error);
  for (const char* generic : {"--help", "--version", "--config", "--check-config"}) {
    EXPECT_NE(std::string::npos, out.find(generic)) << generic;
  }
  for (const OptionDoc& doc : DescribeOptions()) {
    EXPECT_NE(std::string::npos, out.find("--" + doc.name + " ")) << doc.name;
  }
  EXPECT_NE(std::string::npos, out.find("Default: 5120")) << out;
  EXPECT_NE(std::string::npos, out.find("64..32768")) << out;
  EXPECT_NE(std::string::npos, out.find("4096..32768")) << out;
  EXPECT_NE(std::string::npos, out.find("Applied on reload")) << out;
}

TEST_F(ConfigTest, VersionPrintsTheProjectVersion) {
  Config config;
  std::string error;
  std::string out;
  ASSERT_EQ(LoadOutcome::kExitSuccess, Load({"--version"}, &config, &error, &out));
  EXPECT_EQ(std::string("jetsvc ") + Version() + "\n", out);
  EXPECT_STRNE("unknown", Version());
  EXPECT_STRNE("", Version());
}

TEST_F(ConfigTest, CheckConfigValidatesAndExits) {
  const std::string good = WriteFile("good.conf", "[engine]\npage-size = 16384\n");
  Config config;
  std::string error;
  std::string out;
  ASSERT_EQ(LoadOutcome::kExitSuccess, Load({"--check-config", "--config", good}, &config, &error,
                                            &out));
  EXPECT_NE(std::string::npos, out.find("valid")) << out;
  EXPECT_NE(std::string::npos, out.find(good)) << out;
  EXPECT_EQ(16384u, Engine(config, "page-size").integer);

  const std::string bad = WriteFile("bad.conf", "[engine]\npage-size = 1000\n");
  EXPECT_EQ(LoadOutcome::kError, Load({"--check-config", "--config", bad}, &config, &error, &out));
  EXPECT_NE(std::string::npos, error.find(bad + ":2: engine.page-size = 1000")) << error;
}

// --- config/jetsvc.conf ------------------------------------------------------

std::string ShippedConfigPath() { return std::string(JETSVC_TEST_SOURCE_DIR) + "/config/jetsvc.conf"; }

// "#key = value" lines of the shipped file, as section.key -> value.
std::map<std::string, std::string> CommentedOptions(const std::string& content) {
  std::map<std::string, std::string> options;
  std::istringstream stream(content);
  std::string line;
  std::string section;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    if (line.size() < 2 || line[0] != '#' || line[1] == ' ' || line[1] == '#') continue;
    const size_t equals = line.find(" =");
    if (equals == std::string::npos) continue;
    const std::string key = line.substr(1, equals - 1);
    std::string value = line.substr(equals + 2);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    options[section + "." + key] = value;
  }
  return options;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST_F(ConfigTest, ShippedConfigDocumentsEveryOptionWithItsDefault) {
  const std::string content = ReadAll(ShippedConfigPath());
  ASSERT_FALSE(content.empty()) << ShippedConfigPath();
  const std::map<std::string, std::string> documented = CommentedOptions(content);
  const std::vector<OptionDoc> docs = DescribeOptions();
  for (const OptionDoc& doc : docs) {
    const auto found = documented.find(doc.name);
    ASSERT_NE(documented.end(), found) << doc.name << " is not in config/jetsvc.conf";
    if (doc.name == "service.data-dir") continue;  // its default depends on the environment
    EXPECT_EQ(doc.default_text, found->second) << doc.name;
  }
  EXPECT_EQ(docs.size(), documented.size()) << "config/jetsvc.conf documents an unknown option";
}

TEST_F(ConfigTest, ShippedConfigLoadsAsIs) {
  const Config config = MustLoad({"--config", ShippedConfigPath()});
  EXPECT_EQ(ShippedConfigPath(), config.config_path);
}

TEST_F(ConfigTest, ShippedConfigUncommentedGivesTheDefaults) {
  std::istringstream stream(ReadAll(ShippedConfigPath()));
  std::string uncommented;
  std::string line;
  int options = 0;
  while (std::getline(stream, line)) {
    // "#key = value" -> "key = value", except data-dir.
    if (line.size() > 1 && line[0] == '#' && line[1] != ' ' && line[1] != '#' &&
        line.find(" =") != std::string::npos && line.rfind("#data-dir", 0) != 0) {
      line.erase(0, 1);
      ++options;
    }
    uncommented += line + "\n";
  }
  EXPECT_EQ(static_cast<int>(DescribeOptions().size()) - 1, options);
  const std::string path = WriteFile("uncommented.conf", uncommented);
  const Config from_file = MustLoad({"--config", path});
  const Config defaults = MustLoad({});
  EXPECT_EQ(ServiceValues(defaults), ServiceValues(from_file));
  ASSERT_EQ(defaults.engine.size(), from_file.engine.size());
  for (size_t i = 0; i < defaults.engine.size(); ++i) {
    EXPECT_EQ(defaults.engine[i].integer, from_file.engine[i].integer) << defaults.engine[i].option;
    EXPECT_EQ(defaults.engine[i].text, from_file.engine[i].text) << defaults.engine[i].option;
  }
}

}  // namespace
}  // namespace config
}  // namespace jetsvc
