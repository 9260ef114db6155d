# Writes build_info.cpp from the git state at build time (run by the build_info target), rewriting
# it only when something changed so a rebuild is not forced. The build date is the commit date
# (or SOURCE_DATE_EPOCH), so that two builds of one commit are identical.
execute_process(COMMAND git rev-parse --verify -q HEAD WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE KCTL_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE git_dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(KCTL_GIT_COMMIT STREQUAL "")
  set(KCTL_GIT_COMMIT "unknown")
  set(KCTL_GIT_TREE_STATE "unknown")
elseif(git_dirty STREQUAL "")
  set(KCTL_GIT_TREE_STATE "clean")
else()
  set(KCTL_GIT_TREE_STATE "dirty")
endif()
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(epoch "$ENV{SOURCE_DATE_EPOCH}")
else()
  execute_process(COMMAND git log -1 --format=%ct WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(epoch STREQUAL "")
  set(KCTL_BUILD_DATE "unknown")
else()
  set(ENV{SOURCE_DATE_EPOCH} "${epoch}")
  string(TIMESTAMP KCTL_BUILD_DATE "%Y-%m-%dT%H:%M:%SZ" UTC)
endif()
configure_file(${SOURCE_DIR}/src/util/build_info.cpp.in ${OUTPUT} @ONLY)
