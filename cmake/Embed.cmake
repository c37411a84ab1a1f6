# embed_files(<out-var> <namespace> <symbol> <dir>) generates a C++ source that
# defines `const std::vector<std::pair<std::string_view, std::string_view>>
# <namespace>::<symbol>` holding every file of <dir> (sorted by name) as
# {file name, contents}. The files are re-embedded whenever they change.
function(embed_files out_var ns symbol dir)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*)
  list(SORT files)
  set(out ${CMAKE_BINARY_DIR}/embedded/${symbol}.cpp)
  # A list would split into several arguments on the command line.
  string(REPLACE ";" "|" joined "${files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DSYMBOL=${symbol} "-DFILES=${joined}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedRun.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/EmbedRun.cmake
    COMMENT "Embedding ${dir}"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
