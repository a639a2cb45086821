# The desktop code sees no server internals: under ui/ and in app/main.cpp, the only server
# header included is server/embedded_server.h, and only by ui/server_host.cpp. Include paths
# cannot enforce it (app/ is one include root for protocol, client and server), so this does.
# Used by the test ui_includes_no_server_internals. cmake -DSOURCE_DIR=<source> -P <this file>
file(GLOB_RECURSE sources ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/ui/*.cpp)
list(APPEND sources ${SOURCE_DIR}/app/main.cpp)
set(offenders "")
foreach(source IN LISTS sources)
    file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    file(RELATIVE_PATH name ${SOURCE_DIR} ${source})
    foreach(line IN LISTS includes)
        if(NOT line MATCHES "[\"<]([^\">]+)[\">]")
            continue()
        endif()
        set(header ${CMAKE_MATCH_1})
        # Server headers: under server/, or storage's reached some other way.
        if(NOT header MATCHES "^(\\.\\./)*(app/)?server/" AND NOT header MATCHES "(^|/)storage/")
            continue()
        endif()
        if(header STREQUAL "server/embedded_server.h" AND name STREQUAL "ui/server_host.cpp")
            continue()
        endif()
        list(APPEND offenders "${name}: ${header}")
    endforeach()
endforeach()
list(LENGTH sources count)
if(offenders)
    list(JOIN offenders "\n  " text)
    message(FATAL_ERROR "server internals included by the desktop code (use "
                        "server/embedded_server.h through ui::ServerHost):\n  ${text}")
endif()
message(STATUS "${count} files of ui/ and app/main.cpp include no server internals")
