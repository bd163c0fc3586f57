/* A trace library file that includes SDL: cmake/layering.cmake must refuse it. */
#include <SDL2/SDL.h>
