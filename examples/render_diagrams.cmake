# Renders every .gv file in DIR to .svg with Graphviz's DOT.
file(GLOB graphs ${DIR}/*.gv)
foreach(g ${graphs})
  string(REGEX REPLACE "\\.gv$" ".svg" svg ${g})
  execute_process(COMMAND ${DOT} -Tsvg ${g} -o ${svg} RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "dot failed on ${g}")
  endif()
endforeach()
