# Runs themes/generate_themes.py in a scratch folder and fails when what it writes and the
# committed themes/*.qss differ: a stylesheet edited by hand, or PAIRS (the one list of themes)
# changed without running the generator. Used by the test themes_match_generator.
# cmake -DPYTHON=<python3> -DTHEMES_DIR=<source>/themes -DWORK_DIR=<scratch> -P <this file>
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
file(COPY ${THEMES_DIR}/generate_themes.py DESTINATION ${WORK_DIR})
execute_process(COMMAND ${PYTHON} generate_themes.py WORKING_DIRECTORY ${WORK_DIR}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generate_themes.py failed (${rc})")
endif()
file(GLOB generated RELATIVE ${WORK_DIR} ${WORK_DIR}/*.qss)
file(GLOB committed RELATIVE ${THEMES_DIR} ${THEMES_DIR}/*.qss)
if(NOT generated STREQUAL committed)
    message(FATAL_ERROR "the generator writes [${generated}], themes/ holds [${committed}]")
endif()
foreach(qss IN LISTS generated)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/${qss}
                            ${THEMES_DIR}/${qss} RESULT_VARIABLE differs)
    if(NOT differs EQUAL 0)
        message(FATAL_ERROR "themes/${qss} is not what generate_themes.py writes: edit the "
                            "script and run it from themes/")
    endif()
endforeach()
message(STATUS "${generated} match generate_themes.py")
