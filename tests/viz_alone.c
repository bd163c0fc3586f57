/* Built with every object of pinata_viz (--whole-archive) and only pinata_trace and SDL
 * besides: a call from the viewer into the simulator is an undefined symbol, and the build
 * fails (CMakeLists.txt, "the viewer without the simulator"). Nothing to run. */
int main(void) { return 0; }
