/* A viewer file that includes the simulator: cmake/layering.cmake must refuse it. */
#include "sim/runner.h"
