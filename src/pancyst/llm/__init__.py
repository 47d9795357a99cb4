"""LLM extraction: prompt, output schema, providers (OpenAI-compatible servers, in-process llama.cpp), cache."""
