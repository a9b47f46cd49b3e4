#include "fixtures.hpp"
