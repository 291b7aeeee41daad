# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# Runs Doxygen, then fails, naming each one, on a public or protected member of the API reference
# that has no documentation, read from Doxygen's XML output:
#     cmake -DDOXYGEN=doxygen -DDOXYFILE=build/docs/Doxyfile -DXML_DIR=build/docs/xml
#           -DINCLUDE_DIR=libcluster/include -P check-undocumented.cmake
# Doxygen's own WARN_IF_UNDOCUMENTED covers classes, functions, signals, enums and fields (and
# WARN_AS_ERROR makes it fail), but version 1.9.4 (Debian 12) says nothing of an undocumented enum
# value, constructor or destructor. Both checks run, so one build lists every missing comment.

cmake_minimum_required(VERSION 3.22)

foreach(variable DOXYGEN DOXYFILE XML_DIR INCLUDE_DIR)
    if(NOT ${variable})
        message(FATAL_ERROR "check-undocumented: ${variable} is not set (see the file's header)")
    endif()
endforeach()

# Doxygen prints its warnings itself; with WARN_AS_ERROR = FAIL_ON_WARNINGS it writes everything
# first and fails at the end.
execute_process(COMMAND ${DOXYGEN} ${DOXYFILE} RESULT_VARIABLE doxygen_result)
if(NOT IS_DIRECTORY "${XML_DIR}")
    message(FATAL_ERROR "check-undocumented: Doxygen (exit status ${doxygen_result}) wrote no XML "
                        "to ${XML_DIR}: GENERATE_XML must be on in ${DOXYFILE}")
endif()

# Whether the block `text` (a member with its nested enum values removed) has a description.
function(libcluster_has_doc text out)
    if(text MATCHES "<(briefdescription|detaileddescription)>[ \n]*<para>")
        set(${out} TRUE PARENT_SCOPE)
    else()
        set(${out} FALSE PARENT_SCOPE)
    endif()
endfunction()

# The next block of `text` from `open` (e.g. "<memberdef ") to `close`, from `offset` on: its
# start in `start_out` (-1 when there is none) and the block in `block_out`.
function(libcluster_next_block text open close offset start_out block_out)
    string(SUBSTRING "${text}" ${offset} -1 rest)
    string(FIND "${rest}" "${open}" found)
    if(found EQUAL -1)
        set(${start_out} -1 PARENT_SCOPE)
        return()
    endif()
    string(SUBSTRING "${rest}" ${found} -1 rest)
    string(FIND "${rest}" "${close}" end)
    string(LENGTH "${close}" close_length)
    math(EXPR length "${end} + ${close_length}")
    string(SUBSTRING "${rest}" 0 ${length} block)
    math(EXPR start "${offset} + ${found}")
    set(${start_out} ${start} PARENT_SCOPE)
    set(${block_out} "${block}" PARENT_SCOPE)
endfunction()

file(GLOB compounds "${XML_DIR}/class*.xml" "${XML_DIR}/struct*.xml"
     "${XML_DIR}/namespace*.xml")
set(missing "")
foreach(compound ${compounds})
    file(READ "${compound}" xml)
    set(offset 0)
    while(TRUE)
        libcluster_next_block("${xml}" "<memberdef " "</memberdef>" ${offset} start member)
        if(start EQUAL -1)
            break()
        endif()
        string(LENGTH "${member}" length)
        math(EXPR offset "${start} + ${length}")
        if(NOT member MATCHES "^<memberdef kind=\"([a-z]+)\"[^>]* prot=\"([a-z]+)\"")
            continue()
        endif()
        set(kind ${CMAKE_MATCH_1})
        set(protection ${CMAKE_MATCH_2})
        if(protection STREQUAL "private" OR kind STREQUAL "friend")
            continue()
        endif()
        string(REGEX MATCH "<qualifiedname>([^<]*)</qualifiedname>" _ "${member}")
        set(name "${CMAKE_MATCH_1}")
        string(REGEX MATCH "<location file=\"([^\"]*)\" line=\"([0-9]+)\"" _ "${member}")
        # Doxygen's paths are relative to the include directory (STRIP_FROM_PATH).
        set(where "${INCLUDE_DIR}/${CMAKE_MATCH_1}:${CMAKE_MATCH_2}")
        # The enum values, each with its own description, then the member without them.
        set(own "${member}")
        set(value_offset 0)
        while(TRUE)
            libcluster_next_block("${member}" "<enumvalue " "</enumvalue>" ${value_offset}
                                  value_start value)
            if(value_start EQUAL -1)
                break()
            endif()
            string(LENGTH "${value}" value_length)
            math(EXPR value_offset "${value_start} + ${value_length}")
            string(REPLACE "${value}" "" own "${own}")
            libcluster_has_doc("${value}" documented)
            string(REGEX MATCH "<name>([^<]*)</name>" _ "${value}")
            if(NOT documented)
                list(APPEND missing
                     "${where}: error: enum value ${CMAKE_MATCH_1} of ${name} is not documented")
            endif()
        endwhile()
        libcluster_has_doc("${own}" documented)
        if(NOT documented)
            string(REGEX MATCH "<argsstring>([^<]*)</argsstring>" _ "${own}")
            list(APPEND missing
                 "${where}: error: ${kind} ${name}${CMAKE_MATCH_1} is not documented")
        endif()
    endwhile()
endforeach()

set(failures "")
if(NOT doxygen_result EQUAL 0)
    list(APPEND failures "Doxygen failed (exit status ${doxygen_result}): see its errors above")
endif()
if(missing)
    list(REMOVE_DUPLICATES missing)
    list(LENGTH missing count)
    string(REPLACE ";" "\n" text "${missing}")
    message("${text}")
    list(APPEND failures "${count} public symbols have no documentation (listed above)")
endif()
if(failures)
    string(REPLACE ";" "; " text "${failures}")
    message(FATAL_ERROR "The API reference is incomplete: ${text}. Give every public class, "
                        "function, signal, enum, enum value and field a Doxygen comment (//! or "
                        "/*! */) right above it, or //!< after it.")
endif()
