#ifndef NATGRAD_COPENBLAS_SHIM_H
#define NATGRAD_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
