# embed.cmake: writes a C source holding a file's bytes as a NUL-terminated char array.
# cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake.  Used for the
# report page, which stays an ordinary HTML file in the repository.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* Generated from ${IN} by io/embed.cmake; do not edit. */\n#include <stddef.h>\n"
  "extern const char ${NAME}[];\nextern const size_t ${NAME}_len;\n"
  "const char ${NAME}[] = {\n${bytes}0x00};\nconst size_t ${NAME}_len = sizeof ${NAME} - 1;\n")
