// The translation unit that builds the shared precompiled headers (cmake/precompiled.cmake);
// it defines nothing.
