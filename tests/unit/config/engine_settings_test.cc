// The [engine] settings reaching a real engine instance: EnterMultiInstanceMode,
// ApplyEngineSettings (advanced parameters included), the checks made
// before the engine is called, and the reload diff.
//
// The JET API state is process-wide: every test creates its instance under
// a unique name and terminates it, so the engine leaves multi-instance mode
// (the last JetTerm resets the run mode) before the next test.

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.h"
#include "engine/instance/params.h"
#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace config {
namespace {

uint64_t GetInteger(JET_INSTANCE instance, uint32_t param_id) {
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(instance, JET_sesidNil, param_id, &value, nullptr, 0))
      << "param " << param_id;
  return static_cast<uint64_t>(value);
}

std::string GetString(JET_INSTANCE instance, uint32_t param_id) {
  char buffer[1024] = {0};
  EXPECT_JET(JET_errSuccess, JetGetSystemParameter(instance, JET_sesidNil, param_id, nullptr,
                                                   buffer, sizeof(buffer)))
      << "param " << param_id;
  return buffer;
}

// The value of `setting` as the engine holds it, as text.
std::string EngineValue(JET_INSTANCE instance, const EngineSetting& setting) {
  return setting.is_string ? GetString(instance, setting.param_id)
                           : std::to_string(GetInteger(instance, setting.param_id));
}

std::string SettingValue(const EngineSetting& setting) {
  return setting.is_string ? setting.text : std::to_string(setting.integer);
}

class EngineSettingsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (instance_ != JET_instanceNil) {
      EXPECT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
      instance_ = JET_instanceNil;
    }
    // A test may turn advanced parameters off process-wide; later tests
    // (and ESE's default) expect them on.
    EXPECT_JET(JET_errSuccess,
               JetSetSystemParameter(nullptr, JET_sesidNil, JET_paramEnableAdvanced, 1, nullptr));
  }

  Config MustLoad(std::vector<std::string> args) {
    args.insert(args.begin(), {"jetsvc", "--service.data-dir=" + dir_.path()});
    ConfigLoader loader(args, [](const char*) -> const char* { return nullptr; },
                        dir_.Join("no-such.conf"));
    Config config;
    std::ostringstream out;
    std::string error;
    EXPECT_EQ(LoadOutcome::kRun, loader.Load(&config, out, &error)) << error;
    return config;
  }

  // EnterMultiInstanceMode(config), then a fresh instance named after the
  // test.
  void CreateInstance(const Config& config) {
    std::string error;
    ASSERT_JET(JET_errSuccess, EnterMultiInstanceMode(config, &error)) << error;
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_JET(JET_errSuccess, JetCreateInstance2(&instance_, name.c_str(), nullptr, 0));
  }

  // CreateInstance, ApplyEngineSettings, and JetInit if `init`.
  void StartInstance(const Config& config, bool init) {
    ASSERT_NO_FATAL_FAILURE(CreateInstance(config));
    std::string error;
    ASSERT_JET(JET_errSuccess, ApplyEngineSettings(config, instance_, &error)) << error;
    if (init) {
      ASSERT_JET(JET_errSuccess, JetInit(&instance_));
    }
  }

  testing::ScratchDir dir_;
  JET_INSTANCE instance_ = JET_instanceNil;
};

// Values that differ from ESE's defaults for every option, so that a
// setting that never reached the engine cannot pass.
std::vector<std::string> NonDefaultArgs() {
  return {"--engine.log-path=lg",          "--engine.system-path=sy",
          "--engine.temp-path=tp/",        "--engine.base-name=abc",
          "--engine.log-file-size=1024",   "--engine.log-buffers=200",
          "--engine.circular-log=true",    "--engine.checkpoint-depth-max=0x200000",
          "--engine.cache-size-max=1234",  "--engine.page-size=16384",
          "--engine.max-sessions=77",      "--engine.max-open-tables=333",
          "--engine.max-cursors=555",      "--engine.max-ver-pages=99",
          "--engine.db-extension-size=17", "--engine.online-defrag=false",
          "--engine.create-paths=yes"};
}

TEST_F(EngineSettingsTest, EveryOptionReachesTheEngine) {
  const Config config = MustLoad(NonDefaultArgs());
  size_t engine_options = 0;
  for (const OptionDoc& doc : DescribeOptions()) engine_options += doc.section == "engine";
  ASSERT_EQ(engine_options, config.engine.size());
  for (const EngineSetting& setting : config.engine) {
    const ParamSpec* spec = ParamValues::Spec(setting.param_id);
    const std::string ese_default =
        setting.is_string ? spec->default_string : std::to_string(spec->default_value);
    ASSERT_NE(ese_default, SettingValue(setting)) << setting.option << " would prove nothing";
  }
  CreateInstance(config);
  std::string error;
  ASSERT_JET(JET_errSuccess, ApplyEngineSettings(config, instance_, &error)) << error;
  for (const EngineSetting& setting : config.engine) {
    EXPECT_EQ(SettingValue(setting), EngineValue(instance_, setting)) << setting.option;
  }
  // Paths reach the engine absolute, with '/' separators on every system.
  EXPECT_EQ(std::filesystem::absolute(dir_.path()).generic_string() + "/lg/",
            GetString(instance_, JET_paramLogFilePath));
  EXPECT_EQ(16384u, GetInteger(instance_, JET_paramDatabasePageSize));
  EXPECT_EQ(0u, GetInteger(instance_, JET_paramEnableOnlineDefrag));
}

TEST_F(EngineSettingsTest, AdvancedParametersApplyEvenWhenEnableAdvancedWasOff) {
  const Config config = MustLoad({"--engine.max-sessions=77", "--engine.cache-size-max=4321"});
  CreateInstance(config);
  // Turn advanced parameters off, process-wide and for the instance.
  ASSERT_JET(JET_errSuccess,
             JetSetSystemParameter(nullptr, JET_sesidNil, JET_paramEnableAdvanced, 0, nullptr));
  ASSERT_JET(JET_errSuccess,
             JetSetSystemParameter(&instance_, JET_sesidNil, JET_paramEnableAdvanced, 0, nullptr));
  // The engine now ignores them: a plain Set succeeds and changes nothing.
  const uint64_t sessions_before = GetInteger(instance_, JET_paramMaxSessions);
  ASSERT_NE(77u, sessions_before);
  ASSERT_JET(JET_errSuccess,
             JetSetSystemParameter(&instance_, JET_sesidNil, JET_paramMaxSessions, 77, nullptr));
  ASSERT_EQ(sessions_before, GetInteger(instance_, JET_paramMaxSessions));

  std::string error;
  ASSERT_JET(JET_errSuccess, ApplyEngineSettings(config, instance_, &error)) << error;
  EXPECT_EQ(77u, GetInteger(instance_, JET_paramMaxSessions));
  EXPECT_EQ(4321u, GetInteger(instance_, JET_paramCacheSizeMax));
  EXPECT_EQ(1u, GetInteger(instance_, JET_paramEnableAdvanced));
  EXPECT_EQ(1u, GetInteger(JET_instanceNil, JET_paramEnableAdvanced));
}

TEST_F(EngineSettingsTest, OutOfRangeIsRefusedBeforeTheEngineIsCalled) {
  Config config = MustLoad({});
  CreateInstance(config);
  for (EngineSetting& setting : config.engine) {
    if (setting.option == "engine.log-file-size") setting.integer = 10;
  }
  std::string error;
  EXPECT_JET(JET_errInvalidParameter, ApplyEngineSettings(config, instance_, &error));
  EXPECT_EQ("engine.log-file-size = 10: out of range 64..32768 (JET_paramLogFileSize)", error);
  EXPECT_NE(10u, GetInteger(instance_, JET_paramLogFileSize));

  EXPECT_JET(JET_errInvalidParameter, ApplyEngineSettings(Config(), instance_, &error));
  EXPECT_NE(std::string::npos, error.find("ConfigLoader::Load")) << error;
}

TEST_F(EngineSettingsTest, PageSizeIsFixedOnceTheFirstInstanceExists) {
  CreateInstance(MustLoad({"--engine.page-size=8192"}));
  const Config other = MustLoad({"--engine.page-size=16384"});
  std::string error;
  EXPECT_JET(JET_errAlreadyInitialized, ApplyEngineSettings(other, instance_, &error));
  EXPECT_NE(std::string::npos, error.find("engine.page-size = 16384: ")) << error;
  EXPECT_NE(std::string::npos, error.find("it is 8192")) << error;
  EXPECT_NE(std::string::npos, error.find("EnterMultiInstanceMode")) << error;
  EXPECT_NE(std::string::npos, error.find("JET_paramDatabasePageSize")) << error;

  // Entering again: same values succeed, others conflict.
  EXPECT_JET(JET_errSuccess, EnterMultiInstanceMode(MustLoad({"--engine.page-size=8192"}), &error))
      << error;
  EXPECT_JET(JET_errSystemParameterConflict, EnterMultiInstanceMode(other, &error));
  EXPECT_NE(std::string::npos, error.find("engine.page-size = 16384: ")) << error;
  EXPECT_NE(std::string::npos, error.find("JET_errSystemParameterConflict")) << error;
  EXPECT_NE(std::string::npos, error.find("multi-instance mode with 8192")) << error;
  EXPECT_EQ(8192u, GetInteger(instance_, JET_paramDatabasePageSize));
}

// What the engine accepts after JetInit is what `reloadable` says.
TEST_F(EngineSettingsTest, ReloadableMatchesWhatARunningInstanceAccepts) {
  const Config config = MustLoad({"--engine.log-file-size=128"});
  ASSERT_NO_FATAL_FAILURE(StartInstance(config, true));
  for (const EngineSetting& setting : config.engine) {
    const ParamSpec* spec = ParamValues::Spec(setting.param_id);
    // Another valid value.
    uint64_t integer = setting.integer;
    std::string text = setting.text;
    if (setting.is_string) {
      text = spec->min == spec->max ? "xyz" : setting.text + "other/";
    } else if (spec->type == ParamType::kBoolean) {
      integer = setting.integer != 0 ? 0 : 1;
    } else if (spec->type == ParamType::kBlockSize) {
      integer = setting.integer == spec->min ? spec->min * 2 : spec->min;
    } else if (setting.param_id == static_cast<uint32_t>(JET_paramEnableOnlineDefrag)) {
      integer = setting.integer != 0 ? 0 : JET_OnlineDefragAll;
    } else {
      integer = setting.integer + 1;
    }
    const long err = JetSetSystemParameter(&instance_, JET_sesidNil, setting.param_id,
                                           static_cast<JET_API_PTR>(integer),
                                           setting.is_string ? text.c_str() : nullptr);
    if (setting.reloadable) {
      EXPECT_JET(JET_errSuccess, err) << setting.option;
    } else {
      EXPECT_JET(JET_errAlreadyInitialized, err) << setting.option;
    }
  }
}

TEST_F(EngineSettingsTest, ReloadAppliesOnlyChangedReloadableSettings) {
  const Config old_config = MustLoad({"--engine.log-file-size=128"});
  ASSERT_NO_FATAL_FAILURE(StartInstance(old_config, true));
  std::string error;

  const Config new_config =
      MustLoad({"--engine.log-file-size=256", "--engine.checkpoint-depth-max=1048576",
                "--engine.online-defrag=off", "--service.log-level=debug",
                "--store.max-scan-items=10", "--engine.max-sessions=64"});
  std::vector<std::string> applied = {"stale"};
  std::vector<std::string> restart_needed = {"stale"};
  ASSERT_JET(JET_errSuccess, ApplyReloadableSettings(old_config, new_config, instance_, &applied,
                                                     &restart_needed, &error))
      << error;
  EXPECT_EQ((std::vector<std::string>{"engine.checkpoint-depth-max", "engine.online-defrag"}),
            applied);
  // log-level is the caller's; max-sessions did not change (64 is the default).
  EXPECT_EQ((std::vector<std::string>{"store.max-scan-items", "engine.log-file-size"}),
            restart_needed);
  EXPECT_EQ(1048576u, GetInteger(instance_, JET_paramCheckpointDepthMax));
  EXPECT_EQ(0u, GetInteger(instance_, JET_paramEnableOnlineDefrag));
  EXPECT_EQ(128u, GetInteger(instance_, JET_paramLogFileSize));

  // Nothing changed: nothing to do.
  ASSERT_JET(JET_errSuccess, ApplyReloadableSettings(new_config, new_config, instance_, &applied,
                                                     &restart_needed, &error));
  EXPECT_TRUE(applied.empty());
  EXPECT_TRUE(restart_needed.empty());
}

TEST_F(EngineSettingsTest, ReloadNamesTheOptionTheEngineRefuses) {
  const Config old_config = MustLoad({"--engine.log-file-size=128"});
  ASSERT_NO_FATAL_FAILURE(StartInstance(old_config, false));
  std::string error;
  Config bad = old_config;
  for (EngineSetting& setting : bad.engine) {
    if (setting.option == "engine.checkpoint-depth-max") setting.integer = 4096;
    if (setting.option == "engine.db-extension-size") setting.integer = 0;  // below 1
  }
  std::vector<std::string> applied;
  std::vector<std::string> restart_needed;
  EXPECT_JET(JET_errInvalidParameter, ApplyReloadableSettings(old_config, bad, instance_,
                                                              &applied, &restart_needed, &error));
  EXPECT_EQ("engine.db-extension-size = 0: out of range 1..2147483647 (JET_paramDbExtensionSize)",
            error);
  EXPECT_EQ(std::vector<std::string>{"engine.checkpoint-depth-max"}, applied);
}

}  // namespace
}  // namespace config
}  // namespace jetsvc
