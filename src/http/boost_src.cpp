// The one translation unit that compiles Boost.JSON and Boost.URL (their separate-compilation
// sources), so no other file pays for them.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
